// evd_bench: measures a running evd. One publisher and N subscribers
// connect over one transport; the program prints one summary line and
// exits non-zero if any subscriber lost, duplicated or reordered an event,
// was closed by evd, or the run timed out.
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "bench/frame.hpp"
#include "bench/report.hpp"
#include "bench/runner.hpp"

namespace {

using evd::bench::parse_mode;
using evd::bench::run_options;

constexpr int exit_failed = 1;

// Parses the command line into `opts`; an exit code when the program
// should stop instead (help, or a usage error already printed).
std::optional<int> parse_options(int argc, char** argv, run_options& opts) {
  CLI::App app{"evd_bench: publish to a running evd and measure delivery"};
  std::string addr;
  std::string filters = R"([{"exact":{"type":"bench.tick"}}])";
  std::string parse = "sax";
  double timeout_s = 60;

  app.add_option("--addr", addr, "evd address, unix:PATH or tcp:HOST:PORT")
      ->required()
      ->envname("EVD_ADDR");
  app.add_option("--subscribers", opts.subscribers,
                 "Subscribing connections, one subscription each")
      ->capture_default_str()
      ->check(CLI::Range(1u, 10'000u));
  app.add_option("--events", opts.events, "Events to publish")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--size", opts.size, "Bytes of each event's JSON object")
      ->capture_default_str();
  app.add_option("--rate", opts.rate,
                 "Events per second to publish; 0 = as fast as possible")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_option("--window", opts.window,
                 "Events the publisher may be ahead of the slowest "
                 "subscriber; 0 = no limit (open loop, which can overflow "
                 "evd's subscription queues)")
      ->capture_default_str();
  app.add_option("--timeout", timeout_s,
                 "Seconds before the run is cut short and reported as failed")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--threads", opts.threads, "Client I/O threads")
      ->capture_default_str()
      ->check(CLI::Range(1u, 64u));
  app.add_option("--filters", filters,
                 "Each subscription's filters as a JSON array; [] = all")
      ->capture_default_str();
  app.add_option("--parse", parse,
                 "How event frames are decoded: sax stops after seq and the "
                 "timestamp, dom parses the whole line")
      ->capture_default_str()
      ->check(CLI::IsMember({"sax", "dom"}));

  try {
    app.parse(argc, argv);
    std::string error;
    auto where = evd::proto::address::parse(addr, error);
    if (!where) throw CLI::ValidationError("--addr", error);
    opts.where = *where;

    opts.filters = nlohmann::json::parse(filters, nullptr, false);
    if (!opts.filters.is_array()) {
      throw CLI::ValidationError("--filters", "must be a JSON array");
    }
    auto least = evd::bench::min_event_size(opts.events);
    if (opts.size < least) {
      throw CLI::ValidationError(
          "--size", "must be at least " + std::to_string(least) +
                        " bytes to hold the sequence and timestamp");
    }
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  opts.parse = parse == "dom" ? parse_mode::dom : parse_mode::sax;
  opts.timeout =
      std::chrono::milliseconds(static_cast<std::int64_t>(timeout_s * 1000));
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  run_options opts;
  if (auto code = parse_options(argc, argv, opts)) return *code;

  auto result = evd::bench::run_bench(opts);
  std::printf("%s\n", evd::bench::summary_line(opts, result).c_str());
  std::fflush(stdout);
  evd::bench::report_problems(result);
  return result.clean() ? 0 : exit_failed;
}
