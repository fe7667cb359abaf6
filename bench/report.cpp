#include "bench/report.hpp"

#include <algorithm>
#include <cstdarg>
#include <cstdio>

namespace evd::bench {
namespace {

double per_second(std::uint64_t count, std::chrono::duration<double> d) {
  return d.count() > 0 ? static_cast<double>(count) / d.count() : 0.0;
}

double micros(std::uint64_t ns) { return static_cast<double>(ns) / 1000.0; }

unsigned long long as_ull(std::uint64_t v) {
  return static_cast<unsigned long long>(v);
}

// printf onto the end of `out`; the summary's fields are short.
__attribute__((format(printf, 2, 3))) void append(std::string& out,
                                                  const char* fmt, ...) {
  char buf[256];
  va_list args;
  va_start(args, fmt);
  int n = std::vsnprintf(buf, sizeof buf, fmt, args);
  va_end(args);
  if (n > 0) out.append(buf, std::min<std::size_t>(n, sizeof buf - 1));
}

// The broker's memory growth per connection while every subscription is
// made and nothing is published; 0 when unmeasured.
double rss_per_connection(const run_options& opts, const run_result& r) {
  unsigned connections = opts.subscribers + opts.decoy_conns;
  if (r.server_rss_idle_kib == 0 || connections == 0) return 0;
  double grown = static_cast<double>(r.server_rss_idle_kib) -
                 static_cast<double>(r.server_rss_before_kib);
  return grown * 1024 / connections;
}

}  // namespace

std::string summary_line(const run_options& opts, const run_result& r) {
  bool unix_socket = opts.broker != broker_kind::loopback &&
                     opts.where.kind == proto::address::transport::unix_socket;
  std::string broker(name_of(opts.broker));
  std::string line;
  append(line, "broker=%s transport=%s subscribers=%u decoys=%u ",
         broker.c_str(), unix_socket ? "unix" : "tcp", opts.subscribers,
         opts.decoys);
  append(line, "size=%.0f events=%llu ", opts.source.mean_size(opts.events),
         as_ull(opts.events));
  append(line, "rate=%.0f window=%llu elapsed_s=%.3f ", opts.rate,
         as_ull(opts.window), r.elapsed.count());
  append(line, "delivered_per_s=%.0f published_per_s=%.0f ",
         per_second(r.delivered, r.elapsed),
         per_second(opts.events, r.publishing));
  append(line, "delivered_mb_per_s=%.1f ",
         r.elapsed.count() > 0 ? r.delivered_bytes / 1e6 / r.elapsed.count()
                               : 0.0);
  append(line, "p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f ",
         micros(r.latency.quantile(0.50)), micros(r.latency.quantile(0.99)),
         micros(r.latency.quantile(0.999)), micros(r.latency.max()));
  append(line, "delivered=%llu lost=%llu duplicated=%llu reordered=%llu ",
         as_ull(r.delivered), as_ull(r.lost), as_ull(r.duplicates),
         as_ull(r.reordered));
  append(line, "server_rss_before_kib=%llu server_rss_idle_kib=%llu ",
         as_ull(r.server_rss_before_kib), as_ull(r.server_rss_idle_kib));
  append(line, "rss_per_conn_b=%.0f client_cpu_s=%.3f ",
         rss_per_connection(opts, r), r.client_cpu.count());
  append(line, "timed_out=%d result=%s", r.timed_out ? 1 : 0,
         r.clean() ? "ok" : "FAIL");
  return line;
}

void report_problems(const run_result& r) {
  if (r.timed_out) std::fputs("evd_bench: run timed out\n", stderr);
  if (!r.run_failure.empty()) {
    std::fprintf(stderr, "evd_bench: run failed reason=\"%s\"\n",
                 r.run_failure.c_str());
  }
  if (!r.publisher_failure.empty()) {
    std::fprintf(stderr,
                 "evd_bench: publisher failed errors=%llu reason=\"%s\"\n",
                 as_ull(r.publish_errors), r.publisher_failure.c_str());
  }
  for (const auto& p : r.problems) {
    std::fprintf(stderr,
                 "evd_bench: subscriber failed sub=%s received=%llu "
                 "lost=%llu duplicated=%llu reordered=%llu foreign=%llu "
                 "reason=\"%s\"\n",
                 p.name.c_str(), as_ull(p.received), as_ull(p.lost),
                 as_ull(p.duplicates), as_ull(p.reordered), as_ull(p.foreign),
                 p.failure.c_str());
  }
}

}  // namespace evd::bench
