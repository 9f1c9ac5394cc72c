#!/usr/bin/env bash
# One task of the job array that submit.sh queues: shard $SLURM_ARRAY_TASK_ID of K.
#   shard-job.sh WCS EXP.yaml DIR K SHA256   (under sbatch --array; see submit.sh)
# Runs `wcs run EXP --shard I/K --out DIR/shards/I --resume` and, when it exits 0,
# records the shard as finished (DIR/slurm/done/I holds the experiment file's SHA-256).
# Output is line-buffered so that the log shows progress while the task runs.
set -uo pipefail
[ $# -eq 5 ] || { echo "shard-job.sh: error: usage: shard-job.sh WCS EXP.yaml DIR K SHA256 (submit.sh queues it)" >&2; exit 2; }
wcs=$1 exp=$2 out=$3 shards=$4 hash=$5
i=${SLURM_ARRAY_TASK_ID:?shard-job.sh: error: SLURM_ARRAY_TASK_ID is not set (run it through submit.sh)}
start=$(date +%s)
echo "shard $i/$shards of $exp: job ${SLURM_ARRAY_JOB_ID:-?}_$i on $(hostname -s), started $(date -u +%FT%TZ)"
now=$(sha256sum "$exp" | cut -d' ' -f1)
if [ "$now" != "$hash" ]; then
  echo "shard-job.sh: error: $exp changed since it was submitted; run submit.sh again" >&2
  exit 1
fi
stdbuf -oL -eL "$wcs" run "$exp" --shard "$i/$shards" --out "$out/shards/$i" --resume
status=$?
if [ $status -eq 0 ]; then
  echo "$hash" >"$out/slurm/done/$i.tmp.$$" && mv -f "$out/slurm/done/$i.tmp.$$" "$out/slurm/done/$i"
fi
echo "shard $i/$shards: wcs run exited $status after $(($(date +%s) - start)) s"
exit $status
