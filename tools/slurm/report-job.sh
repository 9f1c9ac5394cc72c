#!/usr/bin/env bash
# The job that submit.sh queues after the shards: merges their records, writes the
# tables and the plots.
#   report-job.sh WCS PLOT.py DIR K SHA256   (see submit.sh)
# DIR/merged is rebuilt from DIR/shards/0..K-1 each time; DIR/slurm/report.done
# records that it succeeded for the experiment file with that SHA-256.
set -euo pipefail
[ $# -eq 5 ] || { echo "report-job.sh: error: usage: report-job.sh WCS PLOT.py DIR K SHA256 (submit.sh queues it)" >&2; exit 2; }
wcs=$1 plot=$2 out=$3 shards=$4 hash=$5
echo "report of $shards shards in $out: job ${SLURM_JOB_ID:-?} on $(hostname -s), started $(date -u +%FT%TZ)"
dirs=() unfinished=()
for ((i = 0; i < shards; i++)); do
  dirs+=("$out/shards/$i")
  [ "$(cat "$out/slurm/done/$i" 2>/dev/null)" = "$hash" ] || unfinished+=("$i")
done
if [ ${#unfinished[@]} -gt 0 ]; then
  echo "report-job.sh: error: shards ${unfinished[*]} have not finished; run submit.sh again" >&2
  exit 1
fi
rm -rf "$out/merged"
"$wcs" merge "${dirs[@]}" --out "$out/merged"
"$wcs" report "$out/merged"
/usr/bin/python3 "$plot" "$out/merged"   # Debian's python3-matplotlib, as tools/quick.sh
echo "$hash" >"$out/slurm/report.done"
echo "tables: $out/merged/tables  plots: $out/merged/plots"
