#include "bench/nats_wire.hpp"

#include "bench/buffered_decoder.hpp"

namespace evd::bench {
namespace {

constexpr std::string_view crlf = "\r\n";

class nats_decoder : public buffered_decoder {
 public:
  using buffered_decoder::buffered_decoder;

  message next() override {
    for (;;) {
      std::string_view data = unread();
      auto eol = data.find(crlf);
      if (eol == std::string_view::npos) {
        if (data.size() > max_) return too_long();
        return {};
      }
      std::string_view line = data.substr(0, eol);
      if (line.starts_with("MSG ")) return read_msg(data, eol);

      consume(eol + crlf.size());
      if (line == "PONG") return {message::kind::confirm, {}, {}};
      if (line == "PING") return {message::kind::ping, {}, {}};
      // INFO greets every connection and may be repeated; +OK only comes
      // in verbose mode. Neither concerns the run.
      if (line.starts_with("INFO ") || line == "+OK") continue;
      return {message::kind::failure, {}, "nats said: " + excerpt(line)};
    }
  }

 private:
  message read_msg(std::string_view data, std::size_t eol) {
    std::string_view line = data.substr(0, eol);
    // MSG <subject> <sid> [reply-to] <bytes>
    auto space = line.rfind(' ');
    auto size = parse_length(line.substr(space + 1));
    if (!size) {
      return {message::kind::failure, {}, "bad MSG line: " + excerpt(line)};
    }
    if (*size > max_) return too_long();
    std::size_t start = eol + crlf.size();
    if (data.size() < start + *size + crlf.size()) return {};

    std::string_view payload = data.substr(start, *size);
    consume(start + *size + crlf.size());
    if (auto frame = read_bare_event(payload, mode_)) {
      return {message::kind::event, *frame, {}};
    }
    return {message::kind::failure,
            {},
            "message is not a bench event: " + excerpt(payload)};
  }
};

}  // namespace

void nats_wire::append_hello(std::string& out) const {
  nlohmann::json opts = {
      {"verbose", false}, {"pedantic", false}, {"name", "evd_bench"}};
  out += "CONNECT ";
  out += opts.dump();
  out += crlf;
}

std::uint64_t nats_wire::append_subscribe(
    std::string& out, std::span<const subscription> subs) const {
  for (const auto& sub : subs) {
    out += "SUB ";
    out += sub.topic;
    out += ' ';
    out += sub.name;
    out += crlf;
  }
  out += "PING\r\n";
  return 1;
}

void nats_wire::append_publish(std::string& out, std::string_view topic,
                               std::string_view event, std::uint64_t,
                               bool last) const {
  out += "PUB ";
  out += topic;
  out += ' ';
  out += std::to_string(event.size());
  out += crlf;
  out += event;
  out += crlf;
  if (last) out += "PING\r\n";
}

void nats_wire::append_pong(std::string& out) const { out += "PONG\r\n"; }

std::unique_ptr<decoder> nats_wire::make_decoder(std::size_t max_message,
                                                 parse_mode mode) const {
  return std::make_unique<nats_decoder>(max_message, mode);
}

}  // namespace evd::bench
