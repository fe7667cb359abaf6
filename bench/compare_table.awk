# Turns bench/compare.sh's tagged evd_bench summary lines (key=value
# fields, one run a line) into two markdown tables: one row per workload
# with the median of each broker's runs, its range and its fraction of the
# loopback ceiling, then every run. Plain POSIX awk (Debian's mawk).

function field(name) { return (name in f) ? f[name] : "-" }

# Splits one summary line into f, adding cpu_us: the broker's CPU time per
# delivered event over the whole run, the figure that load on a shared
# machine disturbs least.
function load(line,    n, kv, j, eq) {
  delete f
  n = split(line, kv, " ")
  for (j = 1; j <= n; j++) {
    eq = index(kv[j], "=")
    f[substr(kv[j], 1, eq - 1)] = substr(kv[j], eq + 1)
  }
  if (("server_cores" in f) && f["server_cores"] != "-" && f["delivered"] > 0)
    f["cpu_us"] = f["server_cores"] * f["wall_ms"] * 1000 / f["delivered"]
}

# The median of the n values vals[key, 1..n]; sorts them in place.
function median(key, n,    i, j, t) {
  for (i = 2; i <= n; i++) {
    t = vals[key, i]
    for (j = i - 1; j >= 1 && vals[key, j] + 0 > t + 0; j--)
      vals[key, j + 1] = vals[key, j]
    vals[key, j + 1] = t
  }
  if (n % 2) return vals[key, (n + 1) / 2]
  return (vals[key, n / 2] + vals[key, n / 2 + 1]) / 2
}

function number(v) { return v >= 100 ? sprintf("%.0f", v) : sprintf("%.1f", v) }

# One summary cell: median, the range when there were several runs, the
# fraction of `ceiling` when there is one, and any failure, never hidden.
function cell(w, b, metric, ceiling,    key, n, m, out) {
  key = w SUBSEP b SUBSEP metric
  n = count[key]
  if (n == 0) return "-"
  m = median(key, n)
  out = number(m)
  if (n > 1) out = out " (" number(vals[key, 1]) "–" number(vals[key, n]) ")"
  if (ceiling > 0) out = out sprintf(", %.0f %%", 100 * m / ceiling)
  if (bad[w, b]) out = out " **" bad[w, b] " of " runs[w, b] " runs FAILED" \
    (late[w, b] ? " (" late[w, b] " timed out)" : "") ", " lost[w, b] \
    " events not received**"
  return out
}

function ceiling_of(w, metric,    key) {
  key = w SUBSEP "loopback" SUBSEP metric
  return count[key] ? median(key, count[key]) : 0
}

function row(w, label, metric, ceiling_w,    c, b, line) {
  if (!seen[w]) return
  c = ceiling_w == "" ? 0 : ceiling_of(ceiling_w, metric)
  line = "| " w " | " label
  for (b = 1; b <= nb; b++) line = line " | " cell(w, order[b], metric, c)
  print line " | " cell(w, "loopback", metric, 0) " |"
}

BEGIN {
  nb = split("evd nats redis", order, " ")
  metrics = "delivered_per_s delivered_mb_per_s p50_us p99_us p999_us " \
    "rss_per_conn_b cpu_us"
  nm = split(metrics, metric_names, " ")
}

{
  load($0)
  w = f["workload"]; b = f["broker"]
  seen[w] = 1
  runs[w, b]++
  if (f["result"] != "ok") bad[w, b]++
  if (f["timed_out"] == 1) late[w, b]++
  lost[w, b] += f["lost"]
  # A failed run's figures are not a measurement of the workload: they
  # stay in the table of runs, not in the medians.
  if (f["result"] == "ok") {
    for (i = 1; i <= nm; i++) {
      if (!(metric_names[i] in f) || f[metric_names[i]] == "-") continue
      key = w SUBSEP b SUBSEP metric_names[i]
      vals[key, ++count[key]] = f[metric_names[i]]
    }
  }
  lines[++nl] = $0
}

END {
  print "| workload | measure | evd | nats-server | redis-server" \
    " | loopback ceiling |"
  print "|---|---|---:|---:|---:|---:|"
  row("W1", "1 → 1, 256 B, unpaced: delivered events/s", "delivered_per_s",
      "W1")
  row("W2", "1 → 10, 256 B: delivered events/s (all subscribers)",
      "delivered_per_s", "W2")
  row("W3", "1 → 100, 256 B: delivered events/s (all subscribers)",
      "delivered_per_s", "W3")
  row("W1", "W1: server CPU µs per delivered event", "cpu_us", "")
  row("W2", "W2: server CPU µs per delivered event", "cpu_us", "")
  row("W3", "W3: server CPU µs per delivered event", "cpu_us", "")
  row("W4", "1 → 1 at 20 000 events/s: p50 µs", "p50_us", "")
  row("W4", "1 → 1 at 20 000 events/s: p99 µs", "p99_us", "")
  row("W4", "1 → 1 at 20 000 events/s: p99.9 µs", "p999_us", "")
  row("W5", "real events (~10 KB), 1 → 10: delivered MB/s",
      "delivered_mb_per_s", "W5")
  row("W6", "idle connections, one subscription each: server RSS bytes" \
      " per connection", "rss_per_conn_b", "")
  row("W7", "W2 plus non-matching subscriptions: delivered events/s" \
      " (fraction of W2's ceiling)", "delivered_per_s", "W2")

  print ""
  print "| workload | run | broker | subscribers | decoys | events | size B" \
    " | elapsed s | delivered ev/s | MB/s | p50 µs | p99 µs | p99.9 µs" \
    " | lost | server cores | server µs/event | client cores | result |"
  print "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:" \
    "|---:|---:|---:|---:|---|"
  for (i = 1; i <= nl; i++) {
    load(lines[i])
    client = "-"
    if (("client_cpu_s" in f) && f["wall_ms"] > 0)
      client = sprintf("%.2f", f["client_cpu_s"] / (f["wall_ms"] / 1000))
    per_event = ("cpu_us" in f) ? sprintf("%.2f", f["cpu_us"]) : "-"
    printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s" \
      " | %s | %s | %s | %s | %s | %s |\n", field("workload"), field("run"),
      field("broker"), field("subscribers"), field("decoys"),
      field("events"), field("size"), field("elapsed_s"),
      field("delivered_per_s"), field("delivered_mb_per_s"),
      field("p50_us"), field("p99_us"), field("p999_us"), field("lost"),
      field("server_cores"), per_event, client, field("result")
  }
}
