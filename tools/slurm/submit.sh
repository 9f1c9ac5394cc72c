#!/usr/bin/env bash
# Runs an experiment file as a Slurm job array: K shards, then one job that merges,
# reports and plots. Run it again after a failed or cancelled task: it submits only
# the shards that have not finished.
usage() {
  cat <<'EOF'
Usage: tools/slurm/submit.sh EXP.yaml --shards K [--out DIR] [--partition P] [--time T]
                             [--mem M] [-- extra sbatch options]

Submits one job array (sbatch --array) whose task I runs
    wcs run EXP.yaml --shard I/K --out DIR/shards/I --resume
and one job, started when every task has succeeded (--dependency=afterok), that runs
    wcs merge DIR/shards/* --out DIR/merged; wcs report DIR/merged; tools/plot.py DIR/merged
Prints the job ids and where the results and logs will be.

  --shards K       number of shards (array tasks), 1 or more
  --out DIR        work folder (default results/<file name without .yaml>-slurm):
                     DIR/merged/tables, DIR/merged/plots   the results
                     DIR/logs/shard-I.jobJ.log             the log of shard I in job J
                     DIR/logs/report.jobJ.log              the log of the report job
                     DIR/shards/I                          shard I's run records
                     DIR/slurm/                            which shards finished, job ids
  --partition P    passed to sbatch as --partition=P
  --time T         passed to sbatch as --time=T (a limit per task, e.g. 30, 2:00:00, 1-0)
  --mem M          passed to sbatch as --mem=M (per task, e.g. 4G)
  -- OPTIONS...    further sbatch options for both jobs (e.g. --account=A --cpus-per-task=4)

Running it again with the same EXP.yaml, K and DIR submits only the shards that have
not finished (a finished shard is one whose `wcs run` exited 0 on the file as it is
now) and a new report job; `--resume` skips the runs a cancelled task had recorded.
When every shard has finished it submits only the report job, or nothing when that
has run too. It refuses (exit 1) while a job of the previous submission is still
queued or running (a report job that can never start, because a task failed, is
cancelled instead), and a different K for the same DIR (exit 2).

The tasks run the wcs binary of this checkout (build/wcs; the environment variable WCS
names another) and must see the same paths (a shared file system). Exit status: 0
submitted (or nothing to do), 2 bad arguments or an invalid experiment file, 1 anything
else (e.g. sbatch failed).
EOF
}
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
me="submit.sh"

die() { echo "$me: error: $1" >&2; exit "${2:-1}"; }
bad() { die "$1" 2; }

exp="" shards="" out="" partition="" time_limit="" mem=""
extra=()
need_value() { if [ $# -lt 2 ] || [ -z "$2" ]; then bad "$1 needs a value"; fi; }
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --shards|--out|--partition|--time|--mem)
      need_value "$@"
      case "$1" in
        --shards) shards=$2 ;; --out) out=$2 ;; --partition) partition=$2 ;;
        --time) time_limit=$2 ;; --mem) mem=$2 ;;
      esac
      shift 2 ;;
    --shards=*|--out=*|--partition=*|--time=*|--mem=*)
      opt=${1%%=*} val=${1#*=}
      [ -n "$val" ] || bad "$opt needs a value"
      case "$opt" in
        --shards) shards=$val ;; --out) out=$val ;; --partition) partition=$val ;;
        --time) time_limit=$val ;; --mem) mem=$val ;;
      esac
      shift ;;
    --) shift; extra=("$@"); break ;;
    -*) bad "unknown option $1 (see --help)" ;;
    *) [ -z "$exp" ] || bad "one experiment file, got $exp and $1"; exp=$1; shift ;;
  esac
done

[ -n "$exp" ] || bad "no experiment file (usage: submit.sh EXP.yaml --shards K ...; see --help)"
[ -n "$shards" ] || bad "--shards K is required"
[[ "$shards" =~ ^[1-9][0-9]{0,5}$ ]] || bad "--shards $shards: not a whole number from 1 to 999999"
if [ ! -f "$exp" ] || [ ! -r "$exp" ]; then bad "$exp: no such readable file"; fi
[ -z "$partition" ] || [[ "$partition" =~ ^[A-Za-z0-9_.,-]+$ ]] || bad "--partition $partition: not a partition name"
# Slurm's time formats: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S, or UNLIMITED/INFINITE.
[ -z "$time_limit" ] || [[ "$time_limit" =~ ^([0-9]+(:[0-9]+){0,2}|[0-9]+-[0-9]+(:[0-9]+){0,2}|UNLIMITED|INFINITE)$ ]] ||
  bad "--time $time_limit: not a Slurm time (M, M:S, H:M:S, D-H, D-H:M or D-H:M:S)"
[ -z "$mem" ] || [[ "$mem" =~ ^[0-9]+[KMGT]?$ ]] || bad "--mem $mem: not a Slurm memory size (e.g. 500M, 4G)"

wcs=${WCS:-$repo/build/wcs}
[ -x "$wcs" ] || die "$wcs: no wcs program (build it: tools/setup.sh && meson compile -C build, or set WCS)"
command -v sbatch >/dev/null || die "sbatch not found: run this where Slurm's client commands are installed"
wcs=$(realpath "$wcs")
exp=$(realpath "$exp")
stem=$(basename "$exp"); stem=${stem%.yaml}; stem=${stem%.yml}
out=$(realpath -m "${out:-results/$stem-slurm}")

# The experiment must be valid before anything is queued (wcs names the problem).
check=$("$wcs" run "$exp" --dry-run 2>&1 >/dev/null) || {
  status=$?
  echo "$check" >&2
  die "$exp: \`wcs run --dry-run\` failed (above); nothing was submitted" "$status"
}
hash=$(sha256sum "$exp" | cut -d' ' -f1)
state="$out/slurm"

# One K per work folder: shard I of another K holds other runs.
if [ -f "$state/shards" ]; then
  before=$(cat "$state/shards")
  [ "$before" = "$shards" ] || bad "$out was submitted with --shards $before; use --shards $before or another --out"
fi

# Jobs of the previous submission still in the queue: a report job that can never
# start (a task failed or was cancelled) is cancelled; anything else means wait.
if [ -f "$state/jobs.last" ]; then
  read -r -a last <"$state/jobs.last" || true
  for job in "${last[@]}"; do
    line=$(squeue -h -j "$job" -o '%T %r' 2>/dev/null | head -n 1 || true)
    [ -n "$line" ] || continue
    if [[ "$line" == PENDING*DependencyNeverSatisfied* ]]; then
      scancel "$job" && echo "cancelled job $job of the previous submission (its dependency failed)"
    else
      die "job $job of the previous submission is still queued or running (squeue -j $job); wait for it or scancel $job, then run this again"
    fi
  done
fi

# Shards whose `wcs run` exited 0 on this very file are finished.
missing=()
for ((i = 0; i < shards; i++)); do
  [ "$(cat "$state/done/$i" 2>/dev/null)" = "$hash" ] || missing+=("$i")
done

# "0,1,2,5,7,8" -> "0-2,5,7-8" (sbatch's --array syntax).
ranges() {
  local out="" start=$1 prev=$1 n
  shift
  for n in "$@" ""; do
    if [ -n "$n" ] && [ "$n" -eq $((prev + 1)) ]; then prev=$n; continue; fi
    out+="${out:+,}$start"; [ "$prev" = "$start" ] || out+="-$prev"
    start=$n prev=$n
  done
  echo "$out"
}

opts=(--parsable)
[ -z "$partition" ] || opts+=("--partition=$partition")
[ -z "$time_limit" ] || opts+=("--time=$time_limit")
[ -z "$mem" ] || opts+=("--mem=$mem")
opts+=("${extra[@]}")
jobid() { local id; id=$(sbatch "$@") || return 1; echo "${id%%;*}"; }

if [ ${#missing[@]} -eq 0 ] && [ "$(cat "$state/report.done" 2>/dev/null)" = "$hash" ]; then
  echo "nothing to do: all $shards shards of $exp have finished and were reported"
  echo "results: $out/merged/tables  plots: $out/merged/plots"
  exit 0
fi

# Slurm does not make the folders of --output; a first submission that fails
# leaves no folder behind.
new_out=0
[ -e "$out" ] || new_out=1
mkdir -p "$state/done" "$out/logs" "$out/shards"
forget() { [ "$new_out" = 0 ] || rm -r "$out"; }

array="" dependency=()
if [ ${#missing[@]} -gt 0 ]; then
  indices=$(ranges "${missing[@]}")
  array=$(jobid "${opts[@]}" --job-name="wcs-$stem" --array="$indices" \
    --output="$out/logs/shard-%a.job%A.log" \
    "$here/shard-job.sh" "$wcs" "$exp" "$out" "$shards" "$hash") ||
    { forget; die "sbatch refused the job array; nothing was submitted"; }
  dependency=(--dependency="afterok:$array" --kill-on-invalid-dep=yes)
fi
if ! report=$(jobid "${opts[@]}" --job-name="wcs-$stem-report" "${dependency[@]}" \
    --output="$out/logs/report.job%j.log" \
    "$here/report-job.sh" "$wcs" "$repo/tools/plot.py" "$out" "$shards" "$hash"); then
  [ -z "$array" ] || scancel "$array" || true
  forget
  die "sbatch refused the report job${array:+; job array $array was cancelled}"
fi
echo "$shards" >"$state/shards"
rm -f "$state/report.done"   # until the new report job has run

echo "$array $report" >"$state/jobs.last"
echo "$(date -u +%FT%TZ) array=${array:--} shards=${indices:--} of $shards report=$report" >>"$state/jobs"
if [ -n "$array" ]; then
  echo "submitted: job array $array (shards $indices of $shards), then report job $report"
  echo "logs:      $out/logs/shard-I.job$array.log (I = shard), $out/logs/report.job$report.log"
else
  echo "submitted: report job $report (all $shards shards had finished)"
  echo "logs:      $out/logs/report.job$report.log"
fi
echo "results:   $out/merged/tables, plots in $out/merged/plots"
echo "watch:     squeue -j ${array:+$array,}$report"
echo "jobs: array=${array:--} shards=${indices:--} report=$report"
