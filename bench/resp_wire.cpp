#include "bench/resp_wire.hpp"

#include <array>

#include "bench/buffered_decoder.hpp"

namespace evd::bench {
namespace {

constexpr std::string_view crlf = "\r\n";

void append_bulk(std::string& out, std::string_view s) {
  out += '$';
  out += std::to_string(s.size());
  out += crlf;
  out += s;
  out += crlf;
}

// One RESP value that is not an array: its type byte and its text (the
// line after the type byte, or a bulk string's bytes).
struct resp_item {
  char type = 0;
  std::string_view text;
};

enum class parse_status { done, need_more, bad, too_long };

// Reads RESP values out of a buffer without copying. Pub/sub pushes are
// arrays of at most three scalars, and nothing here nests deeper.
class resp_reader {
 public:
  resp_reader(std::string_view data, std::size_t max)
      : data_(data), max_(max) {}

  std::size_t consumed() const noexcept { return pos_; }

  // A CRLF-terminated line after a type byte.
  parse_status line(char& type, std::string_view& text) {
    auto eol = data_.find(crlf, pos_);
    if (eol == std::string_view::npos) {
      return data_.size() - pos_ > max_ ? parse_status::too_long
                                        : parse_status::need_more;
    }
    if (eol == pos_) return parse_status::bad;
    type = data_[pos_];
    text = data_.substr(pos_ + 1, eol - pos_ - 1);
    pos_ = eol + crlf.size();
    return parse_status::done;
  }

  parse_status scalar(resp_item& item) {
    if (auto s = line(item.type, item.text); s != parse_status::done) return s;
    if (item.type != '$') return parse_status::done;

    auto size = parse_length(item.text);
    if (!size) return parse_status::bad;
    if (*size > max_) return parse_status::too_long;
    if (data_.size() - pos_ < *size + crlf.size()) {
      return parse_status::need_more;
    }
    item.text = data_.substr(pos_, *size);
    pos_ += *size + crlf.size();
    return parse_status::done;
  }

 private:
  std::string_view data_;
  std::size_t max_;
  std::size_t pos_ = 0;
};

class resp_decoder : public buffered_decoder {
 public:
  using buffered_decoder::buffered_decoder;

  message next() override {
    resp_reader reader(unread(), max_);
    std::array<resp_item, 3> items;
    std::size_t count = 0;
    auto status = read_value(reader, items, count);
    switch (status) {
      case parse_status::need_more:
        return {};
      case parse_status::too_long:
        return too_long();
      case parse_status::bad:
        return {message::kind::failure, {}, "malformed RESP from redis"};
      case parse_status::done:
        break;
    }
    consume(reader.consumed());
    return interpret(items, count);
  }

 private:
  // A scalar, or an array of up to three scalars, into `items`.
  static parse_status read_value(resp_reader& reader,
                                 std::array<resp_item, 3>& items,
                                 std::size_t& count) {
    auto status = reader.scalar(items[0]);
    count = 1;
    if (status != parse_status::done || items[0].type != '*') return status;

    auto n = parse_length(items[0].text);
    if (!n || *n > items.size()) return parse_status::bad;
    for (count = 0; count < *n; ++count) {
      status = reader.scalar(items[count]);
      if (status != parse_status::done) return status;
      if (items[count].type == '*') return parse_status::bad;
    }
    return parse_status::done;
  }

  message interpret(const std::array<resp_item, 3>& items,
                    std::size_t count) const {
    const resp_item& first = items[0];
    if (count == 1 && first.type == ':') {
      return {message::kind::confirm, {}, {}};  // a PUBLISH reply
    }
    if (count == 3 && first.text == "message") {
      if (auto frame = read_bare_event(items[2].text, mode_)) {
        return {message::kind::event, *frame, {}};
      }
      return {message::kind::failure,
              {},
              "message is not a bench event: " + excerpt(items[2].text)};
    }
    if (count == 3 && first.text == "subscribe") {
      return {message::kind::confirm, {}, {}};
    }
    if (count == 1 && first.type == '-') {
      return {message::kind::failure, {}, "redis said: " + excerpt(first.text)};
    }
    return {message::kind::failure,
            {},
            "unexpected reply from redis: " + excerpt(first.text)};
  }
};

}  // namespace

std::uint64_t resp_wire::append_subscribe(
    std::string& out, std::span<const subscription> subs) const {
  for (const auto& sub : subs) {
    out += "*2\r\n";
    append_bulk(out, "SUBSCRIBE");
    append_bulk(out, sub.topic);
  }
  return subs.size();
}

void resp_wire::append_publish(std::string& out, std::string_view topic,
                               std::string_view event, std::uint64_t,
                               bool) const {
  out += "*3\r\n";
  append_bulk(out, "PUBLISH");
  append_bulk(out, topic);
  append_bulk(out, event);
}

std::unique_ptr<decoder> resp_wire::make_decoder(std::size_t max_message,
                                                 parse_mode mode) const {
  return std::make_unique<resp_decoder>(max_message, mode);
}

}  // namespace evd::bench
