#include "daemon/options.hpp"

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace evd::daemon {
namespace {

// Turns --listen values into addresses, failing on the first bad one.
std::vector<proto::address> parse_listen(const std::vector<std::string>& in) {
  std::vector<proto::address> out;
  for (const auto& text : in) {
    std::string error;
    auto a = proto::address::parse(text, error);
    if (!a) throw CLI::ValidationError("--listen", error);
    out.push_back(*a);
  }
  return out;
}

}  // namespace

parse_result parse_options(int argc, char** argv) {
  CLI::App app{"evd: event-broker daemon"};
  app.set_version_flag("--version", "evd 0.1.0");

  config cfg;
  std::vector<std::string> listen;
  std::string log_level = "info";
  std::size_t queue_events = cfg.subscription_queue.max_events;
  std::size_t queue_bytes = cfg.subscription_queue.max_bytes;
  long drain_ms = cfg.drain_timeout.count();

  app.add_option("--listen", listen,
                 "Address to accept clients on, unix:PATH or tcp:HOST:PORT; "
                 "repeatable. Default: " +
                     proto::default_unix_address().to_string() + " and " +
                     proto::default_tcp_address().to_string());
  app.add_option("--max-line-bytes", cfg.max_line_bytes,
                 "Longest request line a client may send")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{64}, std::size_t{1} << 30));
  app.add_option("--queue-max-events", queue_events,
                 "Undelivered events a subscription may hold before it is "
                 "closed as a slow consumer")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--queue-max-bytes", queue_bytes,
                 "Undelivered bytes a subscription may hold")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--max-subs-per-conn", cfg.max_subscriptions_per_connection,
                 "Subscriptions one connection may hold at once")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--threads", cfg.threads, "I/O threads; 0 = one per core")
      ->capture_default_str();
  app.add_option("--drain-timeout-ms", drain_ms,
                 "How long shutdown waits for subscribers to drain")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));

  try {
    app.parse(argc, argv);
    cfg.listen = parse_listen(listen);
  } catch (const CLI::ParseError& e) {
    return {std::nullopt, app.exit(e)};
  }

  if (cfg.listen.empty()) {
    cfg.listen = {proto::default_unix_address(), proto::default_tcp_address()};
  }
  cfg.subscription_queue = {queue_events, queue_bytes};
  cfg.drain_timeout = std::chrono::milliseconds(drain_ms);
  cfg.log_level = spdlog::level::from_str(log_level);
  return {cfg, 0};
}

}  // namespace evd::daemon
