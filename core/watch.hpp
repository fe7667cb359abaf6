// In-process subscriptions: watch a broadcaster for the events a matcher
// accepts, without any daemon (swarmkit's watch queue).
#pragma once

#include <functional>
#include <memory>

#include <boost/asio/any_io_executor.hpp>

#include "core/broadcaster.hpp"
#include "core/channel_sink.hpp"
#include "core/filter.hpp"
#include "core/queue.hpp"

namespace evd::core {

struct watch_options {
  // What may wait between the broadcaster and the reader. A watcher that
  // falls this far behind stops receiving: its stream is closed.
  queue_limits limits;
  // Deliveries the stream buffers beyond the queue.
  std::size_t channel_capacity = 64;
};

struct watch_handle {
  // Receive events here; every delivery carries token 0. After cancel, or
  // when the watcher fell too far behind, receiving fails.
  std::shared_ptr<delivery_channel> stream;
  // Stops delivery: once it returns, nothing more can be received. Safe to
  // call more than once and from any thread.
  std::function<void()> cancel;
};

// Registers Filter(Queue(ChannelSink)) on `source`; the queue forwards on
// `ex`. `accepts` may be empty to take every event.
watch_handle watch(broadcaster& source, boost::asio::any_io_executor ex,
                   matcher accepts, watch_options opts = {});

}  // namespace evd::core
