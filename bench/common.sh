# Shell helpers that bench/run.sh and bench/compare.sh share; sourced, not
# run.

# The build's evd and evd_bench; exits 2 unless both are built.
evd_bin() { echo "$1/daemon/evd"; }
bench_bin() { echo "$1/bench/evd_bench"; }
require_built() {
  local exe
  for exe in "$(evd_bin "$1")" "$(bench_bin "$1")"; do
    [[ -x "$exe" ]] || { echo "${0##*/}: $exe not built" >&2; exit 2; }
  done
}

# Stops process $1 if it runs: SIGTERM, then SIGKILL after 6 s. evd drains
# its subscribers for up to its drain timeout (5 s) before it exits.
stop_pid() {
  local p=$1
  [[ -n "$p" ]] && kill -0 "$p" 2>/dev/null || return 0
  kill -TERM "$p" 2>/dev/null || true
  for _ in $(seq 60); do
    kill -0 "$p" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$p" 2>/dev/null || true
  wait "$p" 2>/dev/null || true
}

# CPU time process $1 has used so far, in clock ticks (user + system).
cpu_ticks() {
  awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# Cores a process used that went from $1 to $2 clock ticks of CPU time
# (cpu_ticks) in $3 ns of wall time.
cores_used() {
  awk -v c="$(($2 - $1))" -v hz="$(getconf CLK_TCK)" -v ns="$3" \
    'BEGIN { printf "%.2f", c / hz / (ns / 1e9) }'
}
