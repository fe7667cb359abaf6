// One client subscription: conceptually Filter(Queue(ChannelSink)),
// delivering into its connection's channel under a token. The filter is
// not a core::filter sink in front of the queue: the broker files `rules`
// in its subscription index, which picks the subscriptions an event may
// pass and verifies each with its rules, then writes to `pending`.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "core/channel_sink.hpp"
#include "core/queue.hpp"
#include "match/filter.hpp"

namespace evd::daemon {

struct subscription {
  // Builds the queue and its channel sink; nothing is registered yet. The queue
  // forwards on `ex` (the connection's strand) into `channel`; at `limits` it
  // applies `policy`, and under overflow_policy::refuse `on_full` is called
  // once, from a publisher's thread.
  subscription(std::string name, std::uint64_t token, match::filter rules,
               boost::asio::any_io_executor ex,
               std::shared_ptr<core::delivery_channel> channel,
               core::queue_limits limits, core::overflow_policy policy,
               std::function<void()> on_full);

  std::string name;
  std::uint64_t token;
  // `{"op":"event","sub":"<name>","seq":` made once, reused per event.
  std::string frame_head;
  core::queue_limits limits;
  // What the broker registers: the rules it matches with and the queue it
  // writes to.
  std::shared_ptr<const match::filter> rules;
  std::shared_ptr<core::queue> pending;
};

}  // namespace evd::daemon
