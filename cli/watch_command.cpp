#include <csignal>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/connection.hpp"

namespace evd::cli {
namespace {

using json = nlohmann::json;
// Frames are read in key order so that an event prints as evd sent it.
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

}  // namespace

int run_watch(const proto::address& where, const watch_options& opts) {
  auto filters = build_filters(opts);
  if (!filters) return 2;

  boost::asio::io_context io;
  connection conn(io, where);
  json request = {
      {"op", "sub"}, {"id", 1}, {"sub", opts.sub}, {"filters", *filters}};
  conn.send(request.dump());

  while (auto line = conn.read_line()) {
    ordered frame = ordered::parse(*line, nullptr, false);
    std::string op = frame.is_object() ? frame.value("op", "") : "";
    if (op == "event") {
      // Flushed per line: a watcher is often read by another program.
      std::cout << (opts.frames ? *line : frame["event"].dump()) << std::endl;
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
