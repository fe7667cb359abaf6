// evctl: publish to and watch evd from the command line.
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/connection.hpp"

int main(int argc, char** argv) {
  CLI::App app{"evctl: publish events to evd and watch them", "evctl"};
  app.set_version_flag("--version", "evctl " EVD_VERSION);
  app.require_subcommand(1);
  std::string addr;
  app.add_option("--addr", addr,
                 "evd address, unix:PATH or tcp:HOST:PORT "
                 "(default: $EVD_ADDR, else " +
                     evd::proto::default_unix_address().to_string() + ")");

  evd::cli::pub_options pub;
  auto* pub_cmd = app.add_subcommand(
      "pub",
      "Publish events: the arguments, else each line of --file or "
      "stdin (NDJSON)");
  auto* events_opt =
      pub_cmd->add_option("events", pub.events, "Events as JSON objects");
  pub_cmd->add_option("-f,--file", pub.file, "NDJSON file; - for stdin")
      ->excludes(events_opt);

  evd::cli::watch_options watch;
  auto* watch_cmd = app.add_subcommand(
      "watch", "Subscribe and print each matching event as a JSON line");
  watch_cmd->add_option("--sub", watch.sub, "Subscription name")
      ->capture_default_str();
  watch_cmd->add_option("--exact", watch.exact, "NAME=VALUE, repeatable");
  watch_cmd->add_option("--prefix", watch.prefix, "NAME=VALUE, repeatable");
  watch_cmd->add_option("--suffix", watch.suffix, "NAME=VALUE, repeatable");
  watch_cmd->add_option("--sql", watch.sql,
                        "A CloudEvents SQL expression, repeatable");
  watch_cmd->add_option("--filter", watch.filters,
                        "A filter expression as JSON, repeatable");
  watch_cmd->add_flag("--frames", watch.frames,
                      "Print whole event frames (with sub and seq)");

  int timeout_ms = 5000;
  auto* ping_cmd = app.add_subcommand("ping", "Check that evd answers");
  ping_cmd->add_option("--timeout-ms", timeout_ms, "How long to wait")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600000));

  bool raw_stats = false;
  auto* stats_cmd =
      app.add_subcommand("stats", "Print evd's counters, one a line");
  stats_cmd->add_flag("--json", raw_stats, "Print evd's reply as it came");

  CLI11_PARSE(app, argc, argv);

  try {
    auto where = evd::cli::resolve_address(addr);
    if (*pub_cmd) return evd::cli::run_pub(where, pub);
    if (*watch_cmd) return evd::cli::run_watch(where, watch);
    if (*ping_cmd) return evd::cli::run_ping(where, timeout_ms);
    if (*stats_cmd) return evd::cli::run_stats(where, raw_stats);
  } catch (const std::exception& e) {
    std::cerr << "evctl: " << e.what() << "\n";
    return 1;
  }
  return 2;
}
