#include "daemon/options.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <iostream>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "daemon/accounts.hpp"
#include "daemon/http_endpoint.hpp"

namespace evd::daemon {
namespace {

// What CLI11 fills in, before it is checked and turned into a config.
// Limits start from config's defaults so that the two cannot disagree.
struct raw_options {
  config defaults;
  std::vector<std::string> listen;
  std::size_t max_line_bytes = defaults.max_line_bytes;
  std::size_t max_event_bytes = defaults.max_event_bytes;
  std::size_t max_connections = defaults.max_connections;
  std::size_t queue_events = defaults.subscription_queue.max_events;
  std::size_t queue_bytes = defaults.subscription_queue.max_bytes;
  std::size_t ceiling_events = defaults.subscription_queue_ceiling.max_events;
  std::size_t ceiling_bytes = defaults.subscription_queue_ceiling.max_bytes;
  std::size_t max_conn_queue_bytes = defaults.max_connection_queue_bytes;
  std::size_t max_pending_reply_bytes = defaults.max_pending_reply_bytes;
  std::size_t history_events = defaults.history.max_events;
  std::size_t history_bytes = defaults.history.max_bytes;
  std::size_t max_subs = defaults.max_subscriptions_per_connection;
  unsigned threads = defaults.threads;
  long drain_ms = defaults.drain_timeout.count();
  long write_timeout_ms = defaults.write_timeout.count();
  std::string log_level = "info";
  std::string log_format = "text";
  std::string socket_mode = "0660";
  std::string socket_user;
  std::string socket_group;
  std::string http_listen;
  bool print_config = false;
};

constexpr std::uint64_t no_limit = std::numeric_limits<std::size_t>::max();

// A longer timeout means "never" in practice; the bound also keeps
// now() + timeout clear of overflow, which the largest long would cause.
constexpr std::uint64_t max_timeout_ms = 24 * 60 * 60 * 1000;

// More I/O threads than any machine evd runs on has cores.
constexpr std::uint64_t max_threads = 1024;

// A whole number from `min` to `max`, written in decimal. CLI11 alone
// reads integers with strtoull's base 0, so "010" would be 8 and a number
// too large would become the largest one; and CLI::PositiveNumber's
// message shows its range as doubles, a 300-digit number. As a transform
// it rewrites the value in plain decimal, which CLI11 then reads as meant.
CLI::Validator whole_number(std::uint64_t min, std::uint64_t max) {
  std::string want = "must be a whole number from " + std::to_string(min) +
                     " to " + std::to_string(max);
  std::string shown;
  if (max != no_limit) {
    shown = "in [" + std::to_string(min) + " - " + std::to_string(max) + "]";
  } else if (min == 1) {
    shown = "POSITIVE";
  }
  auto check = [=](std::string& text) -> std::string {
    std::uint64_t n = 0;
    const char* end = text.data() + text.size();
    auto [stop, ec] = std::from_chars(text.data(), end, n);
    if (ec != std::errc{} || stop != end || n < min || n > max) {
      return want + ", not '" + text + "'";
    }
    text = std::to_string(n);
    return {};
  };
  return CLI::Validator(check, shown);
}

// CLI11's TOML reader, refusing a key that no option has by name; CLI11
// alone says "INI was not able to parse" it.
class known_keys_toml : public CLI::ConfigTOML {
 public:
  // `app` must outlive this reader.
  explicit known_keys_toml(const CLI::App& app) : app_(app) {}

  std::vector<CLI::ConfigItem> from_config(std::istream& in) const override {
    auto items = CLI::ConfigTOML::from_config(in);
    for (const auto& item : items) {
      // Every option is a top-level key; CLI11 marks a table's start and
      // end with items named "++" and "--" under it.
      if (!item.parents.empty()) {
        throw CLI::ConfigError("unknown table [" +
                               CLI::detail::join(item.parents, ".") + "]");
      }
      if (!app_.get_option_no_throw("--" + item.name)) {
        throw CLI::ConfigError("unknown key '" + item.name + "'");
      }
    }
    return items;
  }

 private:
  const CLI::App& app_;
};

void define(CLI::App& app, raw_options& o) {
  app.set_version_flag("--version", "evd " EVD_VERSION);
  app.set_config("--config", "", "TOML file holding any of these options");
  app.config_formatter(std::make_shared<known_keys_toml>(app));
  app.allow_config_extras(CLI::config_extras_mode::error);
  app.add_flag("--print-config", o.print_config,
               "Print the effective configuration as TOML and exit")
      ->configurable(false);

  app.add_option("--listen", o.listen,
                 "Address to accept clients on, unix:PATH or tcp:HOST:PORT; "
                 "repeatable; sockets passed by systemd replace these");
  app.add_option("--socket-mode", o.socket_mode,
                 "Permissions of Unix sockets, in octal")
      ->capture_default_str();
  app.add_option("--socket-user", o.socket_user,
                 "Owner of Unix sockets; empty leaves it as created")
      ->capture_default_str();
  app.add_option("--socket-group", o.socket_group,
                 "Group of Unix sockets; empty leaves it as created")
      ->capture_default_str();
  app.add_option("--max-line-bytes", o.max_line_bytes,
                 "Longest request line a client may send")
      ->capture_default_str()
      ->transform(whole_number(64, std::uint64_t{1} << 30));
  app.add_option("--max-event-bytes", o.max_event_bytes,
                 "Largest event a client may publish")
      ->capture_default_str()
      ->transform(whole_number(1, no_limit));
  app.add_option("--max-connections", o.max_connections,
                 "Clients connected at once")
      ->capture_default_str()
      ->transform(whole_number(1, no_limit));
  app.add_option("--queue-max-events", o.queue_events,
                 "Undelivered events a subscription may hold before its "
                 "overflow policy applies, unless it asks otherwise")
      ->capture_default_str()
      ->transform(whole_number(1, no_limit));
  app.add_option("--queue-max-bytes", o.queue_bytes,
                 "Undelivered bytes a subscription may hold, unless it asks "
                 "otherwise")
      ->capture_default_str()
      ->transform(whole_number(1, no_limit));
  app.add_option("--queue-ceiling-events", o.ceiling_events,
                 "The most max_events a sub request may ask for")
      ->capture_default_str()
      ->transform(whole_number(1, no_limit));
  app.add_option("--queue-ceiling-bytes", o.ceiling_bytes,
                 "The most max_bytes a sub request may ask for")
      ->capture_default_str()
      ->transform(whole_number(1, no_limit));
  app.add_option("--max-conn-queue-bytes", o.max_conn_queue_bytes,
                 "Sum of max_bytes over one connection's subscriptions")
      ->capture_default_str()
      ->transform(whole_number(1, no_limit));
  app.add_option("--max-pending-reply-bytes", o.max_pending_reply_bytes,
                 "Unsent replies a connection may have before evd stops "
                 "reading its requests until they drain")
      ->capture_default_str()
      ->transform(whole_number(1, no_limit));
  app.add_option("--history-max-events", o.history_events,
                 "Recent events kept for replay; 0 keeps none")
      ->capture_default_str()
      ->transform(whole_number(0, no_limit));
  app.add_option("--history-max-bytes", o.history_bytes,
                 "Bytes of recent events kept for replay; 0 keeps none")
      ->capture_default_str()
      ->transform(whole_number(0, no_limit));
  app.add_option("--write-timeout-ms", o.write_timeout_ms,
                 "How long a client's socket may accept no bytes before "
                 "evd closes it")
      ->capture_default_str()
      ->transform(whole_number(1, max_timeout_ms));
  app.add_option("--max-subs-per-conn", o.max_subs,
                 "Subscriptions one connection may hold at once")
      ->capture_default_str()
      ->transform(whole_number(1, no_limit));
  app.add_option("--threads", o.threads, "I/O threads; 0 = one per core")
      ->capture_default_str()
      ->transform(whole_number(0, max_threads));
  app.add_option("--drain-timeout-ms", o.drain_ms,
                 "How long shutdown waits for subscribers to drain")
      ->capture_default_str()
      ->transform(whole_number(0, max_timeout_ms));
  app.add_option("--log-level", o.log_level, "trace, debug, info, warn, error")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  app.add_option("--log-format", o.log_format,
                 "text, or json for one JSON object a line")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "json"}));
  app.add_option("--http-listen", o.http_listen,
                 "Loopback HOST:PORT serving /metrics, /healthz and /readyz; "
                 "empty = off")
      ->capture_default_str();
}

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

mode_t parse_mode(const std::string& text) {
  std::size_t used = 0;
  unsigned long mode = 0;
  try {
    mode = std::stoul(text, &used, 8);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || mode > 0777) {
    throw CLI::ValidationError("--socket-mode",
                               "'" + text + "' is not an octal mode");
  }
  return static_cast<mode_t>(mode);
}

// Checked here rather than when the socket is made, so that a name this
// system does not know fails --print-config and a reload as it would fail
// a start.
socket_access parse_access(const raw_options& o) {
  if (!o.socket_user.empty() && !find_user_id(o.socket_user)) {
    throw CLI::ValidationError("--socket-user",
                               "no user named '" + o.socket_user + "'");
  }
  if (!o.socket_group.empty() && !find_group_id(o.socket_group)) {
    throw CLI::ValidationError("--socket-group",
                               "no group named '" + o.socket_group + "'");
  }
  return {parse_mode(o.socket_mode), o.socket_user, o.socket_group};
}

// The endpoint refuses to bind beyond loopback; saying so here makes that
// a configuration error, found before evd starts or reloads.
std::string parse_http_listen(const std::string& text) {
  std::string error;
  if (!text.empty() && !parse_loopback_endpoint(text, error)) {
    throw CLI::ValidationError("--http-listen", error);
  }
  return text;
}

// Throws CLI::ValidationError for values that CLI11's checks cannot see.
config to_config(const raw_options& o) {
  config cfg;
  cfg.listen = parse_listen(o.listen);
  if (cfg.listen.empty()) {
    cfg.listen = {proto::default_unix_address(), proto::default_tcp_address()};
  }
  cfg.max_line_bytes = o.max_line_bytes;
  cfg.max_event_bytes = o.max_event_bytes;
  cfg.max_connections = o.max_connections;
  cfg.subscription_queue = {o.queue_events, o.queue_bytes};
  cfg.subscription_queue_ceiling = {o.ceiling_events, o.ceiling_bytes};
  cfg.max_connection_queue_bytes = o.max_conn_queue_bytes;
  cfg.max_pending_reply_bytes = o.max_pending_reply_bytes;
  cfg.history = {o.history_events, o.history_bytes};
  cfg.write_timeout = std::chrono::milliseconds(o.write_timeout_ms);
  cfg.max_subscriptions_per_connection = o.max_subs;
  cfg.threads = o.threads;
  cfg.drain_timeout = std::chrono::milliseconds(o.drain_ms);
  cfg.log_level = spdlog::level::from_str(o.log_level);
  cfg.log_style = o.log_format == "json" ? log_format::json : log_format::text;
  cfg.unix_socket = parse_access(o);
  cfg.http_listen = parse_http_listen(o.http_listen);
  return cfg;
}

// Parses `args` into `o`. Throws CLI::ParseError.
config parse_into(CLI::App& app, raw_options& o,
                  std::vector<std::string> args) {
  define(app, o);
  std::reverse(args.begin(), args.end());  // CLI11 consumes from the back
  app.parse(args);
  return to_config(o);
}

// Whether the command line is fine once the configuration file is left
// out: then the file is what is wrong.
bool parses_without_file(const std::vector<std::string>& args) {
  std::vector<std::string> rest;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--config") {
      ++i;
      continue;
    }
    if (args[i].starts_with("--config=")) continue;
    rest.push_back(args[i]);
  }
  CLI::App app;
  raw_options o;
  try {
    parse_into(app, o, rest);
    return true;
  } catch (const CLI::ParseError&) {
    return false;
  }
}

}  // namespace

parse_result parse_options(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  CLI::App app{"evd: event-broker daemon", "evd"};
  raw_options o;
  config cfg;
  try {
    cfg = parse_into(app, o, args);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() != 0 && parses_without_file(args)) {
      std::cerr << "evd: invalid configuration file: " << e.what() << "\n";
      return {std::nullopt, exit_config_error};
    }
    return {std::nullopt, app.exit(e)};
  }
  if (o.print_config) {
    // CLI11 prints a default list as one string; as results it prints a
    // TOML array, which reads back the same.
    if (o.listen.empty()) {
      app.get_option("--listen")
          ->add_result(std::vector<std::string>{
              proto::default_unix_address().to_string(),
              proto::default_tcp_address().to_string()});
    }
    std::cout << app.config_to_str(true, true);
    return {std::nullopt, 0};
  }
  return {cfg, 0};
}

std::optional<config> reparse_options(const std::vector<std::string>& args,
                                      std::string& error) {
  CLI::App app;
  raw_options o;
  try {
    return parse_into(app, o, args);
  } catch (const CLI::ParseError& e) {
    error = e.what();
    return std::nullopt;
  }
}

std::vector<std::string> changed_keys(const config& a, const config& b) {
  auto spelled = [](const std::vector<proto::address>& list) {
    std::vector<std::string> out;
    for (const auto& where : list) out.push_back(where.to_string());
    return out;
  };
  std::vector<std::string> keys;
  auto note = [&](bool differs, const char* key) {
    if (differs) keys.emplace_back(key);
  };
  note(spelled(a.listen) != spelled(b.listen), "listen");
  note(a.unix_socket.mode != b.unix_socket.mode, "socket-mode");
  note(a.unix_socket.user != b.unix_socket.user, "socket-user");
  note(a.unix_socket.group != b.unix_socket.group, "socket-group");
  note(a.max_line_bytes != b.max_line_bytes, "max-line-bytes");
  note(a.max_event_bytes != b.max_event_bytes, "max-event-bytes");
  note(a.max_connections != b.max_connections, "max-connections");
  note(a.subscription_queue.max_events != b.subscription_queue.max_events,
       "queue-max-events");
  note(a.subscription_queue.max_bytes != b.subscription_queue.max_bytes,
       "queue-max-bytes");
  note(a.subscription_queue_ceiling.max_events !=
           b.subscription_queue_ceiling.max_events,
       "queue-ceiling-events");
  note(a.subscription_queue_ceiling.max_bytes !=
           b.subscription_queue_ceiling.max_bytes,
       "queue-ceiling-bytes");
  note(a.max_connection_queue_bytes != b.max_connection_queue_bytes,
       "max-conn-queue-bytes");
  note(a.max_pending_reply_bytes != b.max_pending_reply_bytes,
       "max-pending-reply-bytes");
  note(a.history.max_events != b.history.max_events, "history-max-events");
  note(a.history.max_bytes != b.history.max_bytes, "history-max-bytes");
  note(a.write_timeout != b.write_timeout, "write-timeout-ms");
  note(a.max_subscriptions_per_connection != b.max_subscriptions_per_connection,
       "max-subs-per-conn");
  note(a.threads != b.threads, "threads");
  note(a.drain_timeout != b.drain_timeout, "drain-timeout-ms");
  note(a.log_level != b.log_level, "log-level");
  note(a.log_style != b.log_style, "log-format");
  note(a.http_listen != b.http_listen, "http-listen");
  return keys;
}

}  // namespace evd::daemon
