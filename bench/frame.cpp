#include "bench/frame.hpp"

#include <array>
#include <charconv>
#include <limits>

#include <nlohmann/json.hpp>

namespace evd::bench {
namespace {

using json = nlohmann::json;

constexpr std::string_view event_open = R"({"type":"bench.tick","n":)";
constexpr std::string_view time_key = R"(,"t":)";
constexpr std::string_view pad_key = R"("pad":")";
constexpr std::string_view event_close = R"("})";

std::size_t digits(std::uint64_t v) {
  std::size_t d = 1;
  while (v >= 10) {
    v /= 10;
    ++d;
  }
  return d;
}

void append_number(std::string& out, std::int64_t v) {
  std::array<char, 24> buf;
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  out.append(buf.data(), end);
}

// A SAX consumer that picks seq, event.n and event.t out of an evd event
// frame, or n and t out of a bare event, and stops the parser as soon as
// it has them. evd writes "op" and "seq" before "event", and the bench
// writes n and t before the padding, so a typical frame is abandoned about
// 70 bytes in. Key order is not relied upon for correctness, only for
// speed.
class frame_picker {
 public:
  // `framed`: the event sits in an evd event frame, not at the top.
  explicit frame_picker(bool framed)
      : event_depth_(framed ? 2 : 1),
        in_event_(!framed),
        is_event_(!framed),
        has_seq_(!framed) {}

  using number_integer_t = json::number_integer_t;
  using number_unsigned_t = json::number_unsigned_t;
  using number_float_t = json::number_float_t;
  using string_t = json::string_t;
  using binary_t = json::binary_t;

  bool complete() const { return is_event_ && has_seq_ && has_n_ && has_t_; }
  const event_frame& frame() const { return frame_; }

  bool key(string_t& k) {
    key_ = k;
    return true;
  }
  bool start_object(std::size_t) {
    if (event_depth_ == 2) in_event_ = depth_ == 1 && key_ == "event";
    ++depth_;
    return true;
  }
  bool end_object() {
    --depth_;
    if (event_depth_ == 2 && depth_ == 1) in_event_ = false;
    return true;
  }
  bool start_array(std::size_t) {
    ++depth_;
    return true;
  }
  bool end_array() {
    --depth_;
    return true;
  }

  bool string(string_t& s) {
    if (event_depth_ == 2 && depth_ == 1 && key_ == "op") {
      is_event_ = s == "event";
      return is_event_;  // anything else is not ours to decode
    }
    return true;
  }
  bool number_unsigned(number_unsigned_t v) {
    bool at_event = depth_ == event_depth_ && in_event_;
    if (event_depth_ == 2 && depth_ == 1 && key_ == "seq") {
      frame_.seq = v;
      has_seq_ = true;
    } else if (at_event && key_ == "n") {
      frame_.n = v;
      has_n_ = true;
    } else if (at_event && key_ == "t" &&
               v <= std::numeric_limits<std::int64_t>::max()) {
      frame_.sent_ns = static_cast<std::int64_t>(v);
      has_t_ = true;
    }
    return !complete();
  }
  bool number_integer(number_integer_t) { return true; }
  bool number_float(number_float_t, const string_t&) { return true; }
  bool boolean(bool) { return true; }
  bool null() { return true; }
  bool binary(binary_t&) { return true; }
  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception&) {
    return false;
  }

 private:
  event_frame frame_;
  std::string key_;
  int event_depth_;
  int depth_ = 0;
  bool in_event_;
  bool is_event_;
  bool has_seq_;
  bool has_n_ = false;
  bool has_t_ = false;
};

std::optional<event_frame> read_sax(std::string_view text, bool framed) {
  frame_picker picker(framed);
  json::sax_parse(text.begin(), text.end(), &picker);
  if (!picker.complete()) return std::nullopt;
  return picker.frame();
}

// n and t of a bench event object.
std::optional<event_frame> pick_event(const json& ev, std::uint64_t seq) {
  if (!ev.is_object()) return std::nullopt;
  auto n = ev.find("n");
  auto t = ev.find("t");
  if (n == ev.end() || !n->is_number_unsigned() || t == ev.end() ||
      !t->is_number_integer()) {
    return std::nullopt;
  }
  return event_frame{seq, n->get<std::uint64_t>(), t->get<std::int64_t>()};
}

std::optional<event_frame> read_dom(std::string_view text, bool framed) {
  json doc = json::parse(text, nullptr, false);
  if (!framed) return pick_event(doc, 0);
  if (!doc.is_object() || doc.value("op", "") != "event") return std::nullopt;
  auto seq = doc.find("seq");
  auto ev = doc.find("event");
  if (seq == doc.end() || !seq->is_number_unsigned() || ev == doc.end()) {
    return std::nullopt;
  }
  return pick_event(*ev, seq->get<std::uint64_t>());
}

std::optional<event_frame> read_any(std::string_view text, parse_mode mode,
                                    bool framed) {
  try {
    return mode == parse_mode::sax ? read_sax(text, framed)
                                   : read_dom(text, framed);
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

}  // namespace

std::size_t min_event_size(std::uint64_t events) {
  std::uint64_t largest_n = events > 0 ? events - 1 : 0;
  std::size_t longest_t = digits(std::numeric_limits<std::int64_t>::max());
  return event_open.size() + digits(largest_n) + time_key.size() + longest_t +
         1 + pad_key.size() + event_close.size();
}

void append_event_head(std::string& out, std::uint64_t n,
                       std::int64_t sent_ns) {
  out += event_open;
  append_number(out, static_cast<std::int64_t>(n));
  out += time_key;
  append_number(out, sent_ns);
  out += ',';
}

void append_event(std::string& out, std::size_t size, std::uint64_t n,
                  std::int64_t sent_ns) {
  std::size_t start = out.size();
  append_event_head(out, n, sent_ns);
  out += pad_key;
  std::size_t used = out.size() - start + event_close.size();
  if (used < size) out.append(size - used, 'x');
  out += event_close;
}

std::optional<event_frame> read_event_frame(std::string_view line,
                                            parse_mode mode) {
  return read_any(line, mode, true);
}

std::optional<event_frame> read_bare_event(std::string_view payload,
                                           parse_mode mode) {
  return read_any(payload, mode, false);
}

json parse_line(std::string_view line) {
  return json::parse(line, nullptr, false);
}

std::string op_of(const json& msg) {
  if (!msg.is_object()) return {};
  auto op = msg.find("op");
  if (op == msg.end() || !op->is_string()) return {};
  return op->get<std::string>();
}

std::string excerpt(std::string_view line) {
  constexpr std::size_t limit = 160;
  if (line.size() <= limit) return std::string(line);
  return std::string(line.substr(0, limit)) + "...";
}

}  // namespace evd::bench
