#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/connection.hpp"

namespace evd::cli {
namespace {

using json = nlohmann::ordered_json;

// Nested objects print as dotted names, one figure a line, so the output
// greps and sorts like the Prometheus names it mirrors.
void print_figures(const json& obj, const std::string& prefix) {
  for (const auto& [key, value] : obj.items()) {
    if (key == "op" || key == "id") continue;
    std::string name = prefix.empty() ? key : prefix + "." + key;
    if (value.is_object()) {
      print_figures(value, name);
    } else {
      std::cout << name << " " << value.dump() << "\n";
    }
  }
}

}  // namespace

int run_stats(const proto::address& where, bool raw) {
  boost::asio::io_context io;
  connection conn(io, where);
  conn.send(R"({"op":"stats","id":1})");
  auto line = conn.read_line();
  if (!line) {
    std::cerr << "evctl: " << where.to_string() << " closed the connection\n";
    return 1;
  }
  auto reply = json::parse(*line, nullptr, false);
  if (reply.is_discarded() || reply.value("op", "") != "stats") {
    std::cerr << "evctl: unexpected reply: " << *line << "\n";
    return 1;
  }
  if (raw) {
    std::cout << *line << "\n";
  } else {
    print_figures(reply, "");
  }
  return 0;
}

}  // namespace evd::cli
