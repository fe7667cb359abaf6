// nats-server's core client protocol for evd_bench: CONNECT, SUB, PUB,
// MSG and PING/PONG, the last also serving as the barrier that confirms
// everything sent before it.
#pragma once

#include "bench/wire.hpp"

namespace evd::bench {

class nats_wire : public wire {
 public:
  // CONNECT with verbose off, so that nats-server sends no +OK per
  // request.
  void append_hello(std::string& out) const override;

  // One SUB per subscription (its name is the sid), then a PING: the PONG
  // comes after nats-server has registered them all.
  std::uint64_t append_subscribe(
      std::string& out, std::span<const subscription> subs) const override;

  // The last PUB is followed by a PING, whose PONG is the confirm.
  void append_publish(std::string& out, std::string_view topic,
                      std::string_view event, std::uint64_t n,
                      bool last) const override;

  std::uint64_t publish_confirms(std::uint64_t) const override { return 1; }

  void append_pong(std::string& out) const override;

  std::unique_ptr<decoder> make_decoder(std::size_t max_message,
                                        parse_mode mode) const override;
};

}  // namespace evd::bench
