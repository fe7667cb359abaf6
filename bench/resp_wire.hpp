// redis-server's pub/sub over RESP2 for evd_bench: SUBSCRIBE, pipelined
// PUBLISH, and the message pushes a subscribed connection receives.
#pragma once

#include "bench/wire.hpp"

namespace evd::bench {

class resp_wire : public wire {
 public:
  // One SUBSCRIBE per subscription; redis confirms each.
  std::uint64_t append_subscribe(
      std::string& out, std::span<const subscription> subs) const override;

  // Every PUBLISH is answered with the number of receivers, so the run's
  // confirm is the last of `events` replies.
  void append_publish(std::string& out, std::string_view topic,
                      std::string_view event, std::uint64_t n,
                      bool last) const override;

  std::uint64_t publish_confirms(std::uint64_t events) const override {
    return events;
  }

  std::unique_ptr<decoder> make_decoder(std::size_t max_message,
                                        parse_mode mode) const override;
};

}  // namespace evd::bench
