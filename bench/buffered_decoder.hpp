// The common part of the decoders for length-framed protocols (nats,
// RESP), whose messages are not single lines: the bytes read and not yet
// decoded, and the limits every message is held to.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "bench/wire.hpp"

namespace evd::bench {

// A length field: decimal digits and nothing else.
std::optional<std::size_t> parse_length(std::string_view digits);

class buffered_decoder : public decoder {
 public:
  buffered_decoder(std::size_t max_message, parse_mode mode)
      : max_(max_message), mode_(mode) {}

  // Invalidates views returned by unread().
  void append(std::string_view bytes) override;

 protected:
  // Everything appended and not yet consumed.
  std::string_view unread() const noexcept {
    return std::string_view(buffer_).substr(start_);
  }

  // Drops the first `n` unread bytes; n must not exceed unread().size().
  void consume(std::size_t n) noexcept { start_ += n; }

  // The message for a frame longer than max_.
  message too_long() const;

  const std::size_t max_;
  const parse_mode mode_;

 private:
  std::string buffer_;
  std::size_t start_ = 0;
};

}  // namespace evd::bench
