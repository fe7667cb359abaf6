// A queue decouples a writer from a slow destination: writes never block,
// and a coroutine on the queue's executor forwards events in order.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>

#include <boost/asio/any_io_executor.hpp>

#include "core/sink.hpp"

namespace evd::core {

// Bounds on what a queue holds before it refuses writes. A queue whose
// bytes are bounded still accepts one event larger than the bound when it is
// empty, so that no single event is unsendable.
struct queue_limits {
  std::size_t max_events = std::numeric_limits<std::size_t>::max();
  std::size_t max_bytes = std::numeric_limits<std::size_t>::max();
};

class queue : public sink, public std::enable_shared_from_this<queue> {
 public:
  // Called once, from the writer's thread, the first time a write is
  // refused for lack of room (swarmkit's LimitQueue). It must not write to
  // or close the queue synchronously; post that work instead.
  using full_handler = std::function<void()>;

  // Called from the forwarding coroutine for each event the destination
  // refused with a code other than sink_closed.
  using error_handler = std::function<void(const event_ptr&, error_code)>;

  struct options {
    queue_limits limits;
    full_handler on_full;
    error_handler on_error;
  };

  // Queues are shared: the forwarding coroutine keeps its queue alive.
  // Events are forwarded on `ex`, one at a time, through dst->async_write.
  static std::shared_ptr<queue> create(boost::asio::any_io_executor ex,
                                       std::shared_ptr<sink> dst,
                                       options opts = {});

  // Appends `ev`, or fails with queue_full (at a limit) or sink_closed.
  error_code write(const event_ptr& ev) override;

  // Stops accepting; what is queued is forwarded, then the destination is
  // closed. Returns at once: the flush happens on the queue's executor.
  error_code close() override;

  std::size_t size() const;
  std::size_t bytes() const;
  // Nothing queued and nothing on its way to the destination: everything
  // written so far has been forwarded.
  bool idle() const;
  // Forwards the destination refused (other than by closing).
  std::uint64_t failures() const noexcept { return failures_.load(); }

  queue(boost::asio::any_io_executor ex, std::shared_ptr<sink> dst,
        options opts);

 private:
  boost::asio::awaitable<void> forward_loop(std::shared_ptr<queue> self);
  event_ptr pop(bool& close_destination);

  boost::asio::any_io_executor executor_;
  std::shared_ptr<sink> destination_;
  options options_;

  mutable std::mutex mutex_;
  std::deque<event_ptr> events_;
  std::size_t bytes_ = 0;
  bool forwarding_ = false;
  bool closed_ = false;
  bool full_reported_ = false;

  std::atomic<std::uint64_t> failures_{0};
};

}  // namespace evd::core
