#include <csignal>
#include <iostream>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/connection.hpp"
#include "proto/reply.hpp"

namespace evd::cli {
namespace {

using json = nlohmann::json;
// Frames are read in key order so that an event printed from its parsed
// value (the fallback when its bytes cannot be located) keeps its keys'
// order.
using ordered = nlohmann::ordered_json;

// Adds {"<dialect>":{NAME:VALUE}} for each NAME=VALUE flag.
bool add_conditions(json& filters, const char* dialect,
                    const std::vector<std::string>& pairs) {
  for (const auto& pair : pairs) {
    auto eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "evctl: --" << dialect << " wants NAME=VALUE, got '" << pair
                << "'\n";
      return false;
    }
    filters.push_back({{dialect, {{pair.substr(0, eq), pair.substr(eq + 1)}}}});
  }
  return true;
}

std::optional<json> build_filters(const watch_options& opts) {
  json filters = json::array();
  if (!add_conditions(filters, "exact", opts.exact) ||
      !add_conditions(filters, "prefix", opts.prefix) ||
      !add_conditions(filters, "suffix", opts.suffix)) {
    return std::nullopt;
  }
  for (const auto& expression : opts.sql) {
    filters.push_back({{"sql", expression}});
  }
  for (const auto& text : opts.filters) {
    json f = json::parse(text, nullptr, false);
    if (f.is_discarded()) {
      std::cerr << "evctl: --filter is not valid JSON: " << text << "\n";
      return std::nullopt;
    }
    filters.push_back(std::move(f));
  }
  return filters;
}

// The event's bytes as evd wrote them into an event frame, or nothing if
// the frame is not laid out as evd lays it out. evd copies an event's
// bytes into `head` + seq + `,"event":` + bytes + `}` without
// re-serializing them (see proto/reply.hpp), whereas dumping the parsed
// value would change escapes such as \u00e9 and number spellings such as
// 1.0e2. The frame has already parsed as JSON, so once the fixed parts
// match, a remainder that is one whole JSON value is the event.
std::optional<std::string_view> raw_event(std::string_view frame,
                                          std::string_view head) {
  if (!frame.starts_with(head)) return std::nullopt;
  frame.remove_prefix(head.size());
  auto digits = frame.find_first_not_of("0123456789");
  if (digits == 0 || digits == std::string_view::npos) return std::nullopt;
  frame.remove_prefix(digits);
  if (!frame.starts_with(proto::event_frame_middle) || !frame.ends_with('}')) {
    return std::nullopt;
  }
  frame.remove_prefix(proto::event_frame_middle.size());
  frame.remove_suffix(1);
  if (!json::accept(frame)) return std::nullopt;
  return frame;
}

// What watch prints for an event frame: the whole line with --frames,
// else the event's bytes, else, for a frame laid out some other way, the
// event re-serialized, which may spell it differently.
std::string event_text(const std::string& line, const ordered& frame,
                       std::string_view head, bool frames) {
  if (frames) return line;
  if (auto raw = raw_event(line, head)) return std::string(*raw);
  return frame.value("event", ordered()).dump();
}

}  // namespace

int run_watch(const proto::address& where, const watch_options& opts) {
  auto filters = build_filters(opts);
  if (!filters) return 2;

  boost::asio::io_context io;
  connection conn(io, where);
  json request = {
      {"op", "sub"}, {"id", 1}, {"sub", opts.sub}, {"filters", *filters}};
  conn.send(request.dump());

  const std::string head = proto::event_frame_head(opts.sub);
  while (auto line = conn.read_line()) {
    ordered frame = ordered::parse(*line, nullptr, false);
    std::string op = frame.is_object() ? frame.value("op", "") : "";
    if (op == "event") {
      // Flushed per line: a watcher is often read by another program.
      std::cout << event_text(*line, frame, head, opts.frames) << std::endl;
    } else if (op == "dropped") {
      // evctl asks for the disconnect policy, so evd should never send
      // this; if a later evd does, the watcher must not lose it silently.
      std::cerr << "evctl: evd dropped " << frame.value("count", 0)
                << " events first_seq=" << frame.value("first_seq", 0)
                << " last_seq=" << frame.value("last_seq", 0) << std::endl;
    } else if (op == "ok") {
      std::cerr << "evctl: watching sub=" << opts.sub << std::endl;
    } else if (op == "error") {
      std::cerr << "evctl: " << frame.value("code", "") << ": "
                << frame.value("message", "") << "\n";
      return 1;
    } else if (op == "closed") {
      std::cerr << "evctl: closed by evd: " << frame.value("reason", "")
                << "\n";
      return frame.value("reason", "") == "shutdown" ? 0 : 1;
    }
  }
  std::cerr << "evctl: connection closed by evd\n";
  return 1;
}

}  // namespace evd::cli
