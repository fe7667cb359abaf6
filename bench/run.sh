#!/usr/bin/env bash
# Runs the evd_bench matrix against a private evd and prints a markdown
# table. Builds nothing: pass the build directory that holds daemon/evd and
# bench/evd_bench.
#
#   bench/run.sh [--quick] BUILD_DIR
#
# --quick publishes a few thousand events per run (seconds in all); CI uses
# it to prove the benchmark works. It then runs bench/compare.sh --quick,
# the comparison with nats-server and redis-server shrunk to seconds
# (skipping a peer that is not installed). Exits non-zero if any run lost,
# duplicated or reordered an event, was cut off, timed out, or if evd died.
# Everything stays on loopback; the daemon and the temp directory are
# removed on every exit path.
set -euo pipefail

quick=0
if [[ "${1:-}" == "--quick" ]]; then
  quick=1
  shift
fi
if [[ $# -ne 1 ]]; then
  echo "usage: $0 [--quick] BUILD_DIR" >&2
  exit 2
fi
build=$1
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"
require_built "$build"
evd=$(evd_bin "$build")
bench=$(bench_bin "$build")

if ((quick)); then
  events=3000 paced_events=2000 timeout_s=20
else
  events=200000 paced_events=200000 timeout_s=60
fi
size=256
rate=20000

tmp=$(mktemp -d "${TMPDIR:-/tmp}/evd-bench.XXXXXX")
sock=$tmp/evd.sock
evd_pid=""

cleanup() {
  stop_pid "$evd_pid"
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts evd on the first free loopback port from 17480 and the Unix
# socket; sets evd_pid and port. evd binds in the order given, so the
# socket file appears only once the TCP port is ours; a busy port makes
# evd exit instead.
start_evd() {
  for port in $(seq 17480 17499); do
    "$evd" --listen "tcp:127.0.0.1:$port" --listen "unix:$sock" \
      --log-level warn 2>"$tmp/evd.log" &
    evd_pid=$!
    for _ in $(seq 50); do
      kill -0 "$evd_pid" 2>/dev/null || break
      [[ -S "$sock" ]] && return 0
      sleep 0.1
    done
    wait "$evd_pid" 2>/dev/null || true
    evd_pid=""
  done
  echo "run.sh: evd did not start; its log:" >&2
  cat "$tmp/evd.log" >&2
  exit 1
}

failed=0
lines=()

# Runs one configuration; its summary line is kept for the table.
run() {
  local addr=$1
  shift
  local out rc=0 t0 t1 c0 c1
  echo "run.sh: evd_bench --addr $addr $*" >&2
  t0=$(date +%s%N) c0=$(cpu_ticks "$evd_pid")
  out=$(timeout $((timeout_s + 15)) "$bench" --addr "$addr" \
    --timeout "$timeout_s" "$@") || rc=$?
  t1=$(date +%s%N) c1=$(cpu_ticks "$evd_pid")
  ((c1 > 0)) || c1=$c0  # evd died; the check below reports it
  # How busy evd was while the client ran, in cores (of $(nproc)).
  out+=" evd_cores=$(cores_used "$c0" "$c1" $((t1 - t0)))"
  if ((rc != 0)) || [[ "$out" != *"result=ok"* ]]; then
    echo "run.sh: FAILED (exit $rc): ${out:-no summary}" >&2
    failed=1
  fi
  [[ -n "$out" ]] && lines+=("$out")
  if ! kill -0 "$evd_pid" 2>/dev/null; then
    echo "run.sh: evd died; its log:" >&2
    cat "$tmp/evd.log" >&2
    exit 1
  fi
}

start_evd
for addr in "unix:$sock" "tcp:127.0.0.1:$port"; do
  for subs in 1 10; do
    run "$addr" --subscribers "$subs" --events "$events" --size "$size"
  done
  run "$addr" --subscribers 1 --events "$paced_events" --size "$size" \
    --rate "$rate"
done

echo "| transport | subscribers | size B | events | rate ev/s | elapsed s" \
  "| delivered ev/s | published ev/s | p50 µs | p99 µs | p99.9 µs" \
  "| max µs | lost | evd cores | result |"
# Text columns left, numbers right.
printf '|---|%s---|\n' "$(printf -- '---:|%.0s' $(seq 13))"
for line in "${lines[@]}"; do
  awk '{
    for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    rate = f["rate"] == 0 ? "unpaced" : f["rate"]
    printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s" \
      " | %s | %s | %s |\n", f["transport"], f["subscribers"], f["size"],
      f["events"], rate, f["elapsed_s"], f["delivered_per_s"],
      f["published_per_s"], f["p50_us"], f["p99_us"], f["p999_us"],
      f["max_us"], f["lost"], f["evd_cores"], f["result"]
  }' <<<"$line"
done

if ((failed)); then
  echo "run.sh: at least one run failed; evd log:" >&2
  cat "$tmp/evd.log" >&2
  exit 1
fi

if ((quick)); then
  stop_pid "$evd_pid"
  echo
  "$(dirname "$0")/compare.sh" --quick "$build"
fi
