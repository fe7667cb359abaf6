// evd's protocol for evd_bench (one JSON object per line, docs/protocol.md),
// and the loopback wire: evd's event frames written straight to the
// subscribers through the bench's own relay, with no broker in between.
#pragma once

#include "bench/wire.hpp"

namespace evd::bench {

class evd_wire : public wire {
 public:
  std::uint64_t append_subscribe(
      std::string& out, std::span<const subscription> subs) const override;

  // Publishes carry no id, so evd answers them only on error, except the
  // last, whose ok proves evd accepted everything before it.
  void append_publish(std::string& out, std::string_view topic,
                      std::string_view event, std::uint64_t n,
                      bool last) const override;

  std::uint64_t publish_confirms(std::uint64_t) const override { return 1; }

  std::unique_ptr<decoder> make_decoder(std::size_t max_message,
                                        parse_mode mode) const override;
};

// The publisher writes the event frames evd would send, numbered as evd
// would, and the relay copies them to every subscriber unread. Subscribing
// sends nothing: the relay confirms each subscriber connection with one
// ok line, and confirms the publisher once it has relayed everything the
// publisher sent before shutting down its sending side.
class loopback_wire : public evd_wire {
 public:
  std::uint64_t append_subscribe(
      std::string& out, std::span<const subscription> subs) const override;
  void append_publish(std::string& out, std::string_view topic,
                      std::string_view event, std::uint64_t n,
                      bool last) const override;
  bool half_close_after_last() const override { return true; }
};

// The ok line the relay sends, as evd would write it.
std::string loopback_ok_line();

}  // namespace evd::bench
