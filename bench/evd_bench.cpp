// evd_bench: measures a running broker: evd, nats-server or redis-server,
// or the bare loopback relay that gives the ceiling. One publisher and N
// subscribers connect over one transport; the program prints one summary
// line and exits non-zero if any subscriber lost, duplicated or reordered
// an event, was closed by the broker, or the run timed out.
#include <cstdio>
#include <map>
#include <stdexcept>
#include <string>

#include <CLI/CLI.hpp>

#include "bench/frame.hpp"
#include "bench/report.hpp"
#include "bench/runner.hpp"

namespace {

using evd::bench::broker_kind;
using evd::bench::parse_mode;
using evd::bench::run_options;

constexpr int exit_failed = 1;

// Parses the command line into `opts`; an exit code when the program
// should stop instead (help, or a usage error already printed).
std::optional<int> parse_options(int argc, char** argv, run_options& opts) {
  CLI::App app{"evd_bench: publish to a running broker and measure delivery"};
  std::string addr;
  std::string filters = R"([{"exact":{"type":"bench.tick"}}])";
  std::string parse = "sax";
  std::string events_file;
  std::size_t size = 256;
  double timeout_s = 60;
  const std::map<std::string, broker_kind> brokers = {
      {"evd", broker_kind::evd},
      {"nats", broker_kind::nats},
      {"redis", broker_kind::redis},
      {"loopback", broker_kind::loopback}};

  app.add_option("--broker", opts.broker,
                 "What to drive: evd, nats (nats-server's core protocol), "
                 "redis (RESP pub/sub) or loopback (no broker: the bench "
                 "relays the bytes itself, the ceiling)")
      ->transform(CLI::CheckedTransformer(brokers))
      ->default_str("evd");
  app.add_option("--addr", addr,
                 "Broker address, unix:PATH or tcp:HOST:PORT (not for "
                 "loopback)")
      ->envname("EVD_ADDR");
  app.add_option("--subscribers", opts.subscribers,
                 "Subscribing connections, one subscription each")
      ->capture_default_str()
      ->check(CLI::Range(1u, 20'000u));
  app.add_option("--events", opts.events, "Events to publish")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--size", size, "Bytes of each event's JSON object")
      ->capture_default_str();
  app.add_option("--events-file", events_file,
                 "Publish the NDJSON events of this file in turn, each "
                 "wrapped with the bench's numbering, instead of --size "
                 "padding")
      ->check(CLI::ExistingFile);
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
                 "evd only: each subscription's filters as a JSON array; "
                 "[] = all")
      ->capture_default_str();
  app.add_option("--decoys", opts.decoys,
                 "Extra subscriptions that match no event, on their own "
                 "connections")
      ->capture_default_str();
  app.add_option("--decoy-conns", opts.decoy_conns,
                 "Connections the decoys are spread over (default: one per "
                 "1000)")
      ->check(CLI::Range(1u, 10'000u));
  app.add_option("--server-pid", opts.server_pid,
                 "The broker's process id: report its resident memory "
                 "before connecting and once every subscription is made")
      ->check(CLI::PositiveNumber);
  app.add_option("--parse", parse,
                 "How event frames are decoded: sax stops after seq and the "
                 "timestamp, dom parses the whole line")
      ->capture_default_str()
      ->check(CLI::IsMember({"sax", "dom"}));

  try {
    app.parse(argc, argv);
    if (opts.broker != broker_kind::loopback) {
      std::string error;
      auto where = evd::proto::address::parse(addr, error);
      if (!where) throw CLI::ValidationError("--addr", error);
      opts.where = *where;
    } else if (opts.decoys > 0) {
      throw CLI::ValidationError("--decoys", "loopback has no subscriptions");
    }
    if (opts.decoys > 0 && opts.decoy_conns == 0) {
      opts.decoy_conns = (opts.decoys + 999) / 1000;
    }
    if (opts.decoys == 0) opts.decoy_conns = 0;

    opts.filters = nlohmann::json::parse(filters, nullptr, false);
    if (!opts.filters.is_array()) {
      throw CLI::ValidationError("--filters", "must be a JSON array");
    }
    auto least = evd::bench::min_event_size(opts.events);
    if (size < least) {
      throw CLI::ValidationError(
          "--size", "must be at least " + std::to_string(least) +
                        " bytes to hold the sequence and timestamp");
    }
    opts.source = events_file.empty()
                      ? evd::bench::event_source(size)
                      : evd::bench::event_source::from_file(events_file);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::runtime_error& e) {
    std::fprintf(stderr, "evd_bench: %s\n", e.what());
    return exit_failed;
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
