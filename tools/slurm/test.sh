#!/usr/bin/env bash
# End-to-end test of tools/slurm/submit.sh on a real one-node Slurm cluster.
#   tools/slurm/test.sh          (as root, or as a user with password-less sudo)
# Installs slurmctld, slurmd, slurm-client and munge when missing, starts a private
# munged, slurmctld and slurmd whose configuration, state, sockets and logs live in a
# fresh temporary folder (SLURM_CONF points at it), and then:
#   1. submits experiments/quick.yaml in 4 shards and checks that the merged
#      accuracy and convergence tables are byte-identical to a single-machine
#      `wcs run` of the same file and that the speed table has the same rows;
#   2. submits it again into a new folder, cancels one task while it runs (scancel),
#      checks that no partial record is left and that submit.sh run again submits
#      that shard only and completes the sweep with the same tables.
# Every daemon it started is stopped by process id when it ends, also on failure,
# and the temporary folder is removed. Prints the job ids and the tables compared;
# ends with "wcs-test: P passed, F failed" (tools/count_tests.py reads that line).
# WCS_EXE names the wcs program (default build/wcs).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
repo=$(pwd)

# The tables compared with the single-machine run, as `wcs report` names them.
IDENTICAL_TABLES=(tables/accuracy.csv tables/convergence.csv)   # byte for byte
SAME_ROWS_TABLE=tables/speed.csv                                # same rows, times differ
SAME_ROWS_KEYS=problem,n,max_iter,tolerance,strategy            # its row key columns
EXPERIMENT=experiments/quick.yaml
SHARDS=4
SWEEP_LIMIT=120   # seconds one sweep may take before the test gives up on it

passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
not_ok() { failed=$((failed + 1)); echo "FAILED: $1"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }
since() { awk -v t0="$1" -v t1="$(date +%s.%N)" 'BEGIN { printf "%.1f", t1 - t0 }'; }
finish() { echo "wcs-test: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; }

sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo="sudo -n"
  else
    echo "slurm test: not run: starting munged, slurmctld and slurmd (and installing them) needs root or password-less sudo, and $(id -un) has neither"
    not_ok "a one-node Slurm cluster could be started"
    finish
    exit 1
  fi
fi

wcs=$(realpath "${WCS_EXE:-build/wcs}" 2>/dev/null)
if [ ! -x "$wcs" ]; then
  echo "slurm test: no wcs program at ${WCS_EXE:-build/wcs} (build it first)"
  not_ok "wcs is built"
  finish
  exit 1
fi
export WCS="$wcs"   # the program submit.sh queues

# Installing is idempotent and quiet when everything is there (as tools/setup.sh).
packages=(slurmctld slurmd slurm-client munge)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "slurm test: installing ${missing[*]}"
  $sudo apt-get update -qq
  if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    not_ok "the Slurm packages install (${missing[*]})"
    finish
    exit 1
  fi
fi

tmp=$(mktemp -d)
chmod 755 "$tmp"   # munged wants a socket folder everyone may traverse
pids=()            # daemons started here, stopped by cleanup
cluster_up=0
cleanup() {
  local status=$?
  if [ "$cluster_up" = 1 ]; then
    # Jobs first (a job outlives slurmd), then the daemons, newest first.
    scancel --user="$(id -un)" 2>/dev/null
    for _ in $(seq 60); do
      [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break
      sleep 0.5
    done
  fi
  if [ "$status" != 0 ] || [ "$failed" != 0 ]; then
    for log in "$tmp"/cluster/*.log; do
      [ -f "$log" ] && { echo "--- last lines of $log"; tail -n 15 "$log"; }
    done
  fi
  local i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    $sudo kill "${pids[i]}" 2>/dev/null
    for _ in $(seq 40); do $sudo kill -0 "${pids[i]}" 2>/dev/null || break; sleep 0.25; done
    $sudo kill -0 "${pids[i]}" 2>/dev/null && $sudo kill -KILL "${pids[i]}" 2>/dev/null
    wait "${pids[i]}" 2>/dev/null
  done
  $sudo rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- submit.sh's arguments (nothing may be queued or written) ----
submit="$repo/tools/slurm/submit.sh"
bad_args() {  # ARGS...: exit 2, one line on stderr, nothing on stdout, no folder made
  local out err status
  out=$(cd "$tmp" && "$submit" "$@" 2>"$tmp/err")
  status=$?
  err=$(cat "$tmp/err")
  if ! { [ "$status" = 2 ] && [ -z "$out" ] && [ "$(wc -l <"$tmp/err")" = 1 ] && [ ! -e "$tmp/results" ]; }; then
    echo "  submit.sh $*: exit $status, stdout '$out', stderr '$err'"; return 1
  fi
}
exp=$repo/$EXPERIMENT
check "submit.sh without arguments: exit 2" bad_args
check "submit.sh without --shards: exit 2" bad_args "$exp"
check "submit.sh --shards 0: exit 2" bad_args "$exp" --shards 0
check "submit.sh --shards two: exit 2" bad_args "$exp" --shards two
check "submit.sh --shards without a value: exit 2" bad_args "$exp" --shards
check "submit.sh with an unknown option: exit 2" bad_args "$exp" --shards 2 --bogus
check "submit.sh with a missing file: exit 2" bad_args "$tmp/none.yaml" --shards 2
check "submit.sh --time 5x: exit 2" bad_args "$exp" --shards 2 --time 5x
check "submit.sh --mem lots: exit 2" bad_args "$exp" --shards 2 --mem lots
invalid_experiment() {  # exit 2, wcs's message naming the field, nothing written
  printf 'name: broken\nproblems: []\nstrategies: [{name: reference}]\n' >"$tmp/broken.yaml"
  local status
  (cd "$tmp" && "$submit" broken.yaml --shards 2 >"$tmp/broken.out" 2>&1)
  status=$?
  rm "$tmp/broken.yaml"
  if ! { [ "$status" = 2 ] && grep -q "problems" "$tmp/broken.out" && [ ! -e "$tmp/results" ]; }; then
    echo "  exit $status:"; sed 's/^/  | /' "$tmp/broken.out"; return 1
  fi
}
check "submit.sh of an invalid experiment file: exit 2, wcs names the field" invalid_experiment
# shellcheck disable=SC2016  # the script's values come as its arguments
check "submit.sh --help describes --shards" bash -c '"$1" --help | grep -q -- "--shards K"' _ "$submit"

# ---- the single-machine run the sweeps are compared with ----
t0=$(date +%s.%N)
if "$wcs" run "$exp" --out "$tmp/single" >"$tmp/single.log" 2>&1 && "$wcs" report "$tmp/single" >>"$tmp/single.log" 2>&1; then
  ok "single-machine wcs run and report of $EXPERIMENT"
else
  not_ok "single-machine wcs run and report of $EXPERIMENT"; cat "$tmp/single.log"; finish; exit 1
fi
single_s=$(since "$t0")

# ---- a one-node cluster in $tmp/cluster ----
c=$tmp/cluster
$sudo install -d -m 755 "$c" "$c/munge" "$c/state" "$c/spool"
$sudo mungekey --create --keyfile="$c/munge/munge.key" || { not_ok "a munge key was made"; finish; exit 1; }
$sudo munged --foreground --socket="$c/munge/munge.socket" --key-file="$c/munge/munge.key" \
  --pid-file="$c/munge/munged.pid" --log-file="$c/munged.log" --seed-file="$c/munge/munged.seed" \
  >"$tmp/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 40); do
  munge -S "$c/munge/munge.socket" -n 2>/dev/null | unmunge -S "$c/munge/munge.socket" >/dev/null 2>&1 && break
  sleep 0.25
done
# shellcheck disable=SC2016  # the script's values come as its arguments
check "munged answers on its private socket" \
  bash -c 'munge -S "$1" -n | unmunge -S "$1" | grep -q "STATUS: *Success"' _ "$c/munge/munge.socket"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
host=$(hostname -s)
cat >"$tmp/slurm.conf" <<EOF
ClusterName=wcstest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$c/munge/munge.socket
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
MailProg=/bin/true
KillWait=5
StateSaveLocation=$c/state
SlurmdSpoolDir=$c/spool
SlurmctldPidFile=$c/slurmctld.pid
SlurmdPidFile=$c/slurmd.pid
SlurmctldLogFile=$c/slurmctld.log
SlurmdLogFile=$c/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo) State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$tmp/slurm.conf
$sudo env SLURM_CONF="$SLURM_CONF" slurmctld -D -i >"$tmp/slurmctld.out" 2>&1 &
pids+=($!)
$sudo env SLURM_CONF="$SLURM_CONF" slurmd -D >"$tmp/slurmd.out" 2>&1 &
pids+=($!)
cluster_up=1
for _ in $(seq 60); do
  [ "$(sinfo -h -o %T 2>/dev/null)" = idle ] && break
  sleep 0.5
done
if [ "$(sinfo -h -o %T 2>/dev/null)" = idle ]; then
  ok "slurmctld and slurmd are up, node $host idle (SLURM_CONF=$SLURM_CONF)"
else
  not_ok "slurmctld and slurmd are up (sinfo: $(sinfo 2>&1 | tr '\n' ' '))"; finish; exit 1
fi

# ---- helpers for the sweeps ----
job_states() {  # JOBID: one "TASK STATE" line per record (TASK is - for a plain job)
  scontrol show job -o "$1" 2>/dev/null |
    sed -nE 's/.*ArrayTaskId=([^ ]*).*JobState=([A-Z_]*).*/\1 \2/p; t; s/.*JobState=([A-Z_]*).*/- \1/p'
}
wait_done() {  # JOBID...: waits until none of them is queued or running
  local deadline=$(($(date +%s) + SWEEP_LIMIT)) id
  while [ "$(date +%s)" -lt "$deadline" ]; do
    local busy=0
    for id in "$@"; do
      job_states "$id" | grep -qE ' (PENDING|RUNNING|CONFIGURING|COMPLETING|SUSPENDED|REQUEUED)' && busy=1
    done
    [ "$busy" = 0 ] && return 0
    sleep 0.5
  done
  echo "  jobs $* still queued after $SWEEP_LIMIT s:"; squeue
  return 1
}
all_in_state() {  # STATE JOBID: every record of the job has that state
  local states
  states=$(job_states "$2")
  if [ -z "$states" ] || echo "$states" | grep -vq " $1\$"; then
    echo "  job $2: $(echo "$states" | tr '\n' ' ')"; return 1
  fi
}
field() { sed -nE "s/^jobs: .*$1=([^ ]*).*/\1/p" "$2"; }  # NAME FILE: from submit.sh's "jobs:" line
records() { find "$1/runs" -name '*.json' 2>/dev/null | wc -l; }
same_bytes() {  # RESULTS: the identical tables match those of the single run
  local t status=0
  for t in "${IDENTICAL_TABLES[@]}"; do
    if cmp -s "$tmp/single/$t" "$1/$t"; then
      echo "  $t: identical, $(wc -l <"$1/$t") lines"
    else
      echo "  $1/$t: differs"; diff "$tmp/single/$t" "$1/$t" | head -n 10; status=1
    fi
  done
  return $status
}
same_rows() {  # RESULTS: the speed table has the rows of the single run's
  python3 - "$tmp/single/$SAME_ROWS_TABLE" "$1/$SAME_ROWS_TABLE" "$SAME_ROWS_KEYS" <<'EOF'
import csv, sys
a_path, b_path, keys = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
def rows(path):
    with open(path, newline="") as f:
        table = list(csv.DictReader(f))
    missing = [k for k in keys if table and k not in table[0]]
    if missing:
        sys.exit(f"  {path}: no column {missing[0]} (adapt SAME_ROWS_KEYS in tools/slurm/test.sh)")
    return [tuple(r[k] for k in keys) for r in table]
a, b = rows(a_path), rows(b_path)
if a != b or not a:
    sys.exit(f"  {b_path}: rows differ from the single run's ({len(b)} rows against {len(a)})")
print(f"  {b_path}: the same {len(a)} rows (keys {','.join(keys)})")
EOF
}
no_partial_records() {  # SHARD_FOLDER: nothing half-written; every record is JSON
  python3 - "$1" <<'EOF'
import json, os, sys
bad = []
for root, _, files in os.walk(sys.argv[1]):
    for name in files:
        path = os.path.join(root, name)
        if ".tmp" in name:
            bad.append(path + " (temporary file)")
        elif name.endswith(".json"):
            try:
                with open(path) as f:
                    json.load(f)
            except ValueError as e:
                bad.append(f"{path} ({e})")
for b in bad:
    print("  partial:", b)
sys.exit(1 if bad else 0)
EOF
}
log_of() {  # DIR SHARD: the first log of that shard, if any
  local f
  for f in "$1"/logs/shard-"$2".job*.log; do [ -e "$f" ] && { echo "$f"; return; }; done
}

# ---- sweep A: 4 shards, nothing goes wrong ----
a=$tmp/sweep-a
t0=$(date +%s.%N)
if (cd "$tmp" && "$submit" "$exp" --shards $SHARDS --out "$a" >"$tmp/submit-a.out" 2>&1); then
  ok "submit.sh $EXPERIMENT --shards $SHARDS submitted"
else
  not_ok "submit.sh $EXPERIMENT --shards $SHARDS submitted"
fi
cat "$tmp/submit-a.out"
array_a=$(field array "$tmp/submit-a.out") report_a=$(field report "$tmp/submit-a.out")
check "sweep A (job array $array_a, report job $report_a) finished" wait_done "$array_a" "$report_a"
sweep_s=$(since "$t0")
check "every task of job array $array_a COMPLETED" all_in_state COMPLETED "$array_a"
check "report job $report_a COMPLETED" all_in_state COMPLETED "$report_a"
echo "comparing $a/merged with the single run $tmp/single:"
check "sweep A: ${IDENTICAL_TABLES[*]} byte-identical to the single run" same_bytes "$a/merged"
check "sweep A: $SAME_ROWS_TABLE has the single run's rows" same_rows "$a/merged"
# shellcheck disable=SC2016  # the script's values come as its arguments
check "sweep A: plots written" bash -c 'ls "$1"/merged/plots/*.png >/dev/null 2>&1' _ "$a"
# shellcheck disable=SC2016  # the script's values come as its arguments
check "sweep A: shard 0's log shows wcs's output and the end of the task" \
  bash -c 'grep -q "shard 0/$2: wcs run exited 0" "$1" && [ "$(wc -l <"$1")" -gt 2 ]' _ "$(log_of "$a" 0)" "$SHARDS"
echo "  shard 0's log, $(log_of "$a" 0):"
sed 's/^/  | /' "$(log_of "$a" 0)"
if (cd "$tmp" && "$submit" "$exp" --shards $SHARDS --out "$a" >"$tmp/submit-a2.out" 2>&1) &&
   grep -q "nothing to do" "$tmp/submit-a2.out" && [ -z "$(squeue -h -o %i)" ]; then
  ok "submit.sh again on the finished sweep: nothing to do, nothing queued"
else
  not_ok "submit.sh again on the finished sweep: nothing to do"; cat "$tmp/submit-a2.out"
fi
check "submit.sh with another --shards for the same folder: exit 2" bad_args "$exp" --shards 3 --out "$a"
refused() {  # EXIT_STATUS MESSAGE ARGS...: submit.sh fails so, queues nothing, leaves no sweep-x
  local want=$1 message=$2 status
  shift 2
  (cd "$tmp" && "$submit" "$@" >"$tmp/refused.out" 2>&1)
  status=$?
  if ! { [ "$status" = "$want" ] && grep -q "$message" "$tmp/refused.out" && [ -z "$(squeue -h -o %i)" ] &&
    [ ! -e "$tmp/sweep-x" ]; }; then
    echo "  submit.sh $*: exit $status:"; sed 's/^/  | /' "$tmp/refused.out"; return 1
  fi
}
check "submit.sh --partition nosuch: sbatch's refusal, exit 1, no folder left" \
  refused 1 "sbatch refused" "$exp" --shards 2 --out "$tmp/sweep-x" --partition nosuch


# ---- sweep B: one task cancelled while it runs, then submitted again ----
b=$tmp/sweep-b
(cd "$tmp" && "$submit" "$exp" --shards $SHARDS --out "$b" >"$tmp/submit-b.out" 2>&1)
cat "$tmp/submit-b.out"
array_b=$(field array "$tmp/submit-b.out") report_b=$(field report "$tmp/submit-b.out")
(cd "$tmp" && "$submit" "$exp" --shards $SHARDS --out "$b" >"$tmp/submit-b1.out" 2>&1)
status=$?
newest=$(squeue -h -o %F | sort -n | tail -n 1)   # base ids: a new submission would be above report_b
if [ "$status" = 1 ] && grep -q "still queued or running" "$tmp/submit-b1.out" && [ "${newest:-0}" -le "$report_b" ]; then
  ok "submit.sh while the sweep is queued: refused (exit 1), nothing more queued"
else
  not_ok "submit.sh while the sweep is queued: refused (exit $status)"; cat "$tmp/submit-b1.out"
fi
# Wait until task 0 has recorded a run, then stop its processes so that the cancel
# certainly lands in the middle of the shard (scancel sends SIGCONT, then SIGTERM).
cancelled=0
deadline=$(($(date +%s) + SWEEP_LIMIT))
while [ "$(date +%s)" -lt "$deadline" ]; do
  task=$(squeue -h -j "${array_b}_0" -o '%A %T' 2>/dev/null)
  if [ "${task#* }" = RUNNING ] && [ "$(records "$b/shards/0")" -ge 1 ]; then
    task_pids=$(scontrol listpids "${task% *}" 2>/dev/null | awk 'NR > 1 && $1 ~ /^[0-9]+$/ {print $1}')
    # shellcheck disable=SC2086
    [ -n "$task_pids" ] && $sudo kill -STOP $task_pids 2>/dev/null
    scancel "${array_b}_0" && cancelled=1
    break
  fi
  [ -n "$task" ] || [ "$(records "$b/shards/0")" -eq 0 ] || break   # task 0 already over
  sleep 0.1
done
check "task ${array_b}_0 cancelled while it ran" [ "$cancelled" = 1 ]
check "the rest of job array $array_b and its report job $report_b ended" wait_done "$array_b" "$report_b"
check "task ${array_b}_0 CANCELLED" all_in_state CANCELLED "${array_b}_0"
# shellcheck disable=SC2016  # the script's values come as its arguments
check "report job $report_b did not run (its dependency failed)" bash -c '[ ! -e "$1/merged" ]' _ "$b"
shard0_a=$(records "$a/shards/0") shard0_b=$(records "$b/shards/0")
echo "  shard 0 recorded $shard0_b of its $shard0_a runs before it was cancelled"
check "the cancelled shard recorded some but not all of its runs" test "$shard0_b" -ge 1 -a "$shard0_b" -lt "$shard0_a"
check "no partial record in the cancelled shard's folder" no_partial_records "$b/shards/0"
(cd "$tmp" && "$submit" "$exp" --shards $SHARDS --out "$b" >"$tmp/submit-b2.out" 2>&1)
cat "$tmp/submit-b2.out"
array_b2=$(field array "$tmp/submit-b2.out") shards_b2=$(field shards "$tmp/submit-b2.out") report_b2=$(field report "$tmp/submit-b2.out")
check "submit.sh again submits only the cancelled shard (array $array_b2, shards '$shards_b2')" [ "$shards_b2" = 0 ]
check "sweep B (job array $array_b2, report job $report_b2) finished" wait_done "$array_b2" "$report_b2"
check "report job $report_b2 COMPLETED" all_in_state COMPLETED "$report_b2"
check "the resumed shard holds all its runs ($(records "$b/shards/0") of $shard0_a)" [ "$(records "$b/shards/0")" = "$shard0_a" ]
echo "comparing $b/merged with the single run $tmp/single:"
check "sweep B: ${IDENTICAL_TABLES[*]} byte-identical to the single run" same_bytes "$b/merged"
check "sweep B: $SAME_ROWS_TABLE has the single run's rows" same_rows "$b/merged"

echo "jobs run: sweep A array $array_a + report $report_a; sweep B array $array_b (task 0 cancelled) + report $report_b (never ran), then array $array_b2 + report $report_b2"
printf 'time: one wcs run + report of %s %.1f s; the Slurm sweep in %d shards, submit to report done, %.1f s (on this machine, which may be busy)\n' \
  "$EXPERIMENT" "$single_s" "$SHARDS" "$sweep_s"
finish
