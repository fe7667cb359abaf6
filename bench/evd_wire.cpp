#include "bench/evd_wire.hpp"

#include <array>
#include <charconv>

#include "proto/line_splitter.hpp"

namespace evd::bench {
namespace {

using json = nlohmann::json;

// A decoy never holds an event, so the smallest queue evd grants will do;
// 10000 of them then fit a connection's 1 GiB queue budget.
constexpr int decoy_queue_events = 16;
constexpr int decoy_queue_bytes = 64 * 1024;

void append_number(std::string& out, std::uint64_t v) {
  std::array<char, 24> buf;
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  out.append(buf.data(), end);
}

json filters_of(const subscription& sub) {
  if (!sub.filters.is_null()) return sub.filters;
  return json::array({{{"exact", {{"type", sub.topic}}}}});
}

class evd_decoder : public decoder {
 public:
  evd_decoder(std::size_t max_line, parse_mode mode)
      : lines_(max_line), max_line_(max_line), mode_(mode) {}

  void append(std::string_view bytes) override { lines_.append(bytes); }

  message next() override {
    std::string_view line;
    switch (lines_.next(line)) {
      case proto::line_splitter::status::need_more:
        return {};
      case proto::line_splitter::status::too_long:
        return {message::kind::too_long,
                {},
                "a line exceeded " + std::to_string(max_line_) + " bytes"};
      case proto::line_splitter::status::line:
        break;
    }
    if (auto frame = read_event_frame(line, mode_)) {
      return {message::kind::event, *frame, {}};
    }
    return read_reply(line);
  }

 private:
  // Anything but an event frame, parsed in full: replies and notices are
  // rare.
  static message read_reply(std::string_view line) {
    json msg = parse_line(line);
    std::string op = op_of(msg);
    if (op == "ok") return {message::kind::confirm, {}, {}};
    if (op == "closed") {
      auto reason = msg.find("reason");
      bool named = reason != msg.end() && reason->is_string();
      return {message::kind::failure,
              {},
              "closed reason=" + (named ? reason->get<std::string>() : "?")};
    }
    return {message::kind::failure, {}, "unexpected line: " + excerpt(line)};
  }

  proto::line_splitter lines_;
  std::size_t max_line_;
  parse_mode mode_;
};

}  // namespace

std::uint64_t evd_wire::append_subscribe(
    std::string& out, std::span<const subscription> subs) const {
  std::uint64_t id = 0;
  for (const auto& sub : subs) {
    json req = {{"op", "sub"}, {"id", ++id}, {"sub", sub.name}};
    json filters = filters_of(sub);
    if (!filters.empty()) req["filters"] = std::move(filters);
    if (sub.decoy) {
      req["max_events"] = decoy_queue_events;
      req["max_bytes"] = decoy_queue_bytes;
    }
    out += req.dump();
    out += '\n';
  }
  return subs.size();
}

// The envelope is written by hand around the event's exact bytes: the
// event is already JSON, and re-serialising it would cost the bench more
// than evd spends on it.
void evd_wire::append_publish(std::string& out, std::string_view,
                              std::string_view event, std::uint64_t,
                              bool last) const {
  out += last ? R"({"op":"pub","id":1,"event":)" : R"({"op":"pub","event":)";
  out += event;
  out += "}\n";
}

std::unique_ptr<decoder> evd_wire::make_decoder(std::size_t max_message,
                                                parse_mode mode) const {
  return std::make_unique<evd_decoder>(max_message, mode);
}

std::uint64_t loopback_wire::append_subscribe(
    std::string&, std::span<const subscription>) const {
  return 1;
}

void loopback_wire::append_publish(std::string& out, std::string_view,
                                   std::string_view event, std::uint64_t n,
                                   bool) const {
  out += R"({"op":"event","sub":"bench","seq":)";
  append_number(out, n + 1);
  out += R"(,"event":)";
  out += event;
  out += "}\n";
}

std::string loopback_ok_line() {
  return json{{"op", "ok"}, {"id", 1}}.dump() + "\n";
}

}  // namespace evd::bench
