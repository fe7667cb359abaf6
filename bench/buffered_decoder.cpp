#include "bench/buffered_decoder.hpp"

#include <charconv>

namespace evd::bench {

void buffered_decoder::append(std::string_view bytes) {
  // Moving the unread tail to the front before each append keeps the
  // buffer near one read's size; the tail is at most one partial message.
  if (start_ > 0) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
  buffer_.append(bytes);
}

message buffered_decoder::too_long() const {
  return {message::kind::too_long,
          {},
          "a message exceeded " + std::to_string(max_) + " bytes"};
}

std::optional<std::size_t> parse_length(std::string_view digits) {
  std::size_t n = 0;
  const char* end = digits.data() + digits.size();
  auto [stop, ec] = std::from_chars(digits.data(), end, n);
  if (ec != std::errc{} || stop != end || digits.empty()) return std::nullopt;
  return n;
}

}  // namespace evd::bench
