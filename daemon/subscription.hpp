// One client subscription: Filter(Queue(ChannelSink)) on the broker's
// broadcaster, delivering into its connection's channel under a token.
// The broker also files `rules` in its subscription index, so that only
// the subscriptions an event may pass see it; the filter at the head has
// the last word.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "core/channel_sink.hpp"
#include "core/filter.hpp"
#include "core/queue.hpp"
#include "match/filter.hpp"

namespace evd::daemon {

struct subscription {
  // Builds the chain; nothing is registered yet. The queue forwards on `ex`
  // (the connection's strand) into `channel`; at `limits` it applies
  // `policy`, and under overflow_policy::refuse `on_full` is called once,
  // from a publisher's thread.
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
  // What its replay counts against the connection's budget, until it
  // ends (a bound, like `limits`, not what is held now).
  std::size_t replay_reserved = 0;
  core::overflow_policy policy;
  // Events lost to a drop policy that the connection's writer has put in
  // dropped notices (and counted); the rest are still on their way. Only
  // the connection's strand touches it.
  std::uint64_t losses_reported = 0;
  // Events the connection's writer framed for the client: what the
  // subscription delivered. Counted on the connection's strand as each
  // frame is built, so a reply computed there never trails what the
  // client has read.
  std::uint64_t written = 0;
  // The filter `head` applies, shared with the broker's index.
  std::shared_ptr<const match::filter> rules;
  std::shared_ptr<core::queue> pending;
  std::shared_ptr<core::filter> head;  // what the broker holds
};

}  // namespace evd::daemon
