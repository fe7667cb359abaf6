#!/usr/bin/env bash
# Runs the same workloads (W1-W7 of docs/bench.md) against evd,
# nats-server and redis-server, and through evd_bench's bare loopback
# relay (the ceiling), and prints markdown: the machine, the versions, a
# summary table and every run. Builds nothing: pass the build directory
# that holds daemon/evd and bench/evd_bench.
#
#   bench/compare.sh [--quick] [--runs N] [--doc FILE] [--results FILE]
#                    BUILD_DIR
#
# --quick shrinks every workload to seconds in all (CI runs it to prove the
# comparison works, never to judge speed). --runs repeats W1 and W2 (3 by
# default, 1 with --quick); the table gives medians. --doc also writes the
# output into FILE between the lines <!-- compare:begin --> and
# <!-- compare:end -->. --results keeps every run's summary line (key=value
# fields) in FILE. A peer that is not installed is skipped with a
# note. Every server listens on 127.0.0.1 only, on non-default ports, and
# is stopped by PID on every exit path. Exits non-zero if any run lost,
# duplicated or reordered an event, was cut off or timed out, or if a
# server died.
set -euo pipefail

usage() {
  echo "usage: $0 [--quick] [--runs N] [--doc FILE] [--results FILE]" \
    "BUILD_DIR" >&2
  exit 2
}
quick=0 runs="" doc="" keep=""
while (($#)); do
  case $1 in
    --quick) quick=1; shift ;;
    --runs) runs=$2; shift 2 ;;
    --doc) doc=$2; shift 2 ;;
    --results) keep=$2; shift 2 ;;
    -*) usage ;;
    *) break ;;
  esac
done
(($# == 1)) || usage
build=$1
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/common.sh
source "$here/common.sh"
require_built "$build"
evd=$(evd_bin "$build")
bench=$(bench_bin "$build")
dataset=$here/../../shared/datasets/github-webhooks.ndjson

# Workload sizes: events per run, and the W3, W6 and W7 scales.
if ((quick)); then
  : "${runs:=1}"
  w1_events=3000 w2_events=3000 w3_events=500 w4_events=2000
  w5_events=200 w6_conns=300 w7_events=300 w7_decoys=2000
  timeout_s=20 long_timeout_s=30
else
  : "${runs:=3}"
  w1_events=200000 w2_events=100000 w3_events=10000 w4_events=200000
  w5_events=5000 w6_conns=10000 w7_events=1000 w7_decoys=100000
  timeout_s=60 long_timeout_s=150
fi
size=256 rate=20000

# W6 needs a descriptor per connection in the bench and in each server.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fd_limit=$(ulimit -n)
if ((w6_conns + 200 > fd_limit)); then
  echo "compare.sh: note: ulimit -n is $fd_limit; W6 uses" \
    "$((fd_limit - 200)) connections, not $w6_conns" >&2
  w6_conns=$((fd_limit - 200))
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/evd-compare.XXXXXX")
results=$tmp/results
: >"$results"
declare -A pid=() port=()
brokers=()

cleanup() {
  local b
  for b in "${!pid[@]}"; do stop_pid "${pid[$b]}"; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

listening() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The first port from $1 on that nothing listens on.
free_port() {
  local p
  for p in $(seq "$1" $(($1 + 19))); do
    listening "$p" || { echo "$p"; return 0; }
  done
  echo "compare.sh: no free port from $1" >&2
  exit 1
}

# Starts broker $1 with the command that follows, in the background, and
# waits (5 s at most) until it accepts connections on port[$1].
start_server() {
  local b=$1
  shift
  "$@" >"$tmp/$b.log" 2>&1 &
  pid[$b]=$!
  for _ in $(seq 50); do
    if ! kill -0 "${pid[$b]}" 2>/dev/null; then break; fi
    if listening "${port[$b]}"; then
      brokers+=("$b")
      return 0
    fi
    sleep 0.1
  done
  echo "compare.sh: $b did not start; its log:" >&2
  cat "$tmp/$b.log" >&2
  exit 1
}

port[evd]=$(free_port 17580)
start_server evd "$evd" --listen "tcp:127.0.0.1:${port[evd]}" \
  --log-level warn --max-connections $((w6_conns + 100)) \
  --max-subs-per-conn 10000

if command -v nats-server >/dev/null; then
  port[nats]=$(free_port 14222)
  start_server nats nats-server -a 127.0.0.1 -p "${port[nats]}"
else
  echo "compare.sh: note: nats-server not installed; skipped" \
    "(scripts/install-deps.sh --peers)" >&2
fi

if command -v redis-server >/dev/null; then
  # Subscribers are held to a window, so redis's pub/sub output buffer
  # stays small; the limit is raised from 32mb/8mb anyway, so that a
  # disconnect would mean something other than a burst.
  port[redis]=$(free_port 16379)
  start_server redis redis-server --bind 127.0.0.1 --port "${port[redis]}" \
    --save "" --appendonly no --dir "$tmp" \
    --maxclients $((w6_conns + 100)) \
    --client-output-buffer-limit "pubsub 1gb 256mb 60"
else
  echo "compare.sh: note: redis-server not installed; skipped" \
    "(scripts/install-deps.sh --peers)" >&2
fi

failed=0

# Runs workload $1, repetition $2, against broker $3 with the evd_bench
# options that follow; appends its summary line, tagged, to $results.
# $limit, if set, replaces $timeout_s as the run's timeout.
run() {
  local w=$1 r=$2 b=$3
  shift 3
  local args=(--broker "$b" --timeout "${limit:-$timeout_s}")
  local p=${pid[$b]:-} out rc=0 t0 t1 c0=0 c1=0 cores="-"
  [[ $b != loopback ]] && args+=(--addr "tcp:127.0.0.1:${port[$b]}")
  if [[ -n "$p" ]] && ! kill -0 "$p" 2>/dev/null; then
    echo "compare.sh: $b is dead; $w not run" >&2
    echo "workload=$w run=$r broker=$b result=FAIL" >>"$results"
    failed=1
    return
  fi

  echo "compare.sh: $w evd_bench ${args[*]} $*" >&2
  t0=$(date +%s%N)
  [[ -n "$p" ]] && c0=$(cpu_ticks "$p")
  out=$(timeout $((long_timeout_s + 30)) "$bench" "${args[@]}" "$@") ||
    rc=$?
  t1=$(date +%s%N)
  if [[ -n "$p" ]]; then
    c1=$(cpu_ticks "$p")
    cores=$(cores_used "$c0" "$c1" $((t1 - t0)))
  fi
  local wall=$(((t1 - t0) / 1000000))
  if ((rc != 0)) || [[ "$out" != *"result=ok"* ]]; then
    echo "compare.sh: FAILED (exit $rc): ${out:-no summary}" >&2
    failed=1
    [[ -n "$out" ]] || out="broker=$b result=FAIL"
  fi
  echo "workload=$w run=$r $out server_cores=$cores wall_ms=$wall" \
    >>"$results"
}

# Every broker and the ceiling, in turn, so that changes in the machine's
# load spread over all of them.
each() {
  local w=$1 r=$2 b
  shift 2
  for b in "${brokers[@]}" loopback; do run "$w" "$r" "$b" "$@"; done
}

load_before=$(uptime)

# W6 first, while every server is fresh: memory per idle connection.
for b in "${brokers[@]}"; do
  limit=$long_timeout_s run W6 1 "$b" --subscribers "$w6_conns" \
    --events 10 --size "$size" --server-pid "${pid[$b]}"
done
for r in $(seq "$runs"); do
  each W1 "$r" --subscribers 1 --events "$w1_events" --size "$size"
done
for r in $(seq "$runs"); do
  each W2 "$r" --subscribers 10 --events "$w2_events" --size "$size"
done
limit=$long_timeout_s each W3 1 --subscribers 100 --events "$w3_events" \
  --size "$size"
each W4 1 --subscribers 1 --events "$w4_events" --size "$size" \
  --rate "$rate"
if [[ -r "$dataset" ]]; then
  each W5 1 --subscribers 10 --events "$w5_events" --events-file "$dataset"
else
  echo "compare.sh: note: $dataset missing; W5 skipped" >&2
fi
for b in "${brokers[@]}"; do
  limit=$long_timeout_s run W7 1 "$b" --subscribers 10 \
    --events "$w7_events" --size "$size" --decoys "$w7_decoys" \
    --decoy-conns 10
done

load_after=$(uptime)
for b in "${brokers[@]}"; do
  if ! kill -0 "${pid[$b]}" 2>/dev/null; then
    echo "compare.sh: $b died during the runs; its log:" >&2
    cat "$tmp/$b.log" >&2
    failed=1
  fi
done

# The commit evd was built from: the build directory's source tree, which
# need not be this checkout.
evd_commit() {
  local src
  src=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' \
    "$build/CMakeCache.txt" 2>/dev/null)
  [[ -n "$src" ]] || { echo "unknown"; return; }
  echo "$(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo unknown)$(
    git -C "$src" diff --quiet HEAD -- core match proto daemon 2>/dev/null ||
      echo ' (evd sources modified in the working tree)')"
}

versions() {
  echo "- evd: $("$evd" --version 2>&1 | head -1), commit $(evd_commit)," \
    "$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt")"
  if [[ -n "${port[nats]:-}" ]]; then
    echo "- $(nats-server --version 2>&1 | head -1)"
  fi
  if [[ -n "${port[redis]:-}" ]]; then
    echo "- $(redis-server --version 2>&1 | head -1 | cut -d' ' -f1-3)"
  fi
}

render() {
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2;
    exit }' /proc/cpuinfo), $(awk '/MemTotal/ { printf "%.0f GiB",
    $2 / 1048576 }' /proc/meminfo), Linux $(uname -r)"
  versions
  echo "- Load before: \`${load_before##*load average: }\`;" \
    "after: \`${load_after##*load average: }\` (1, 5, 15 min)"
  echo "- Command: \`bench/compare.sh$( ((quick)) && echo ' --quick')" \
    "--runs $runs BUILD_DIR\`"
  echo
  awk -f "$here/compare_table.awk" "$results"
}

render
[[ -z "$keep" ]] || cp "$results" "$keep"
if [[ -n "$doc" ]]; then
  out=$tmp/doc
  render >"$tmp/section"
  awk -v section="$tmp/section" '
    /^<!-- compare:end -->$/ { skip = 0 }
    !skip { print }
    /^<!-- compare:begin -->$/ {
      while ((getline line < section) > 0) print line
      skip = 1; found = 1
    }
    END { if (!found) exit 1 }' "$doc" >"$out" ||
    { echo "compare.sh: $doc has no compare markers" >&2; exit 1; }
  cat "$out" >"$doc"
fi

if ((failed)); then
  echo "compare.sh: at least one run failed; logs:" >&2
  for b in "${brokers[@]}"; do tail -n 20 "$tmp/$b.log" >&2; done
  exit 1
fi
