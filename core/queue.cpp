#include "core/queue.hpp"

#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

namespace evd::core {

std::shared_ptr<queue> queue::create(boost::asio::any_io_executor ex,
                                     std::shared_ptr<sink> dst, options opts) {
  return std::make_shared<queue>(std::move(ex), std::move(dst),
                                 std::move(opts));
}

queue::queue(boost::asio::any_io_executor ex, std::shared_ptr<sink> dst,
             options opts)
    : executor_(std::move(ex)),
      destination_(std::move(dst)),
      options_(std::move(opts)) {}

error_code queue::write(const event_ptr& ev) {
  bool start_forwarding = false;
  bool refused = false;
  bool report_full = false;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return errc::sink_closed;

    const auto& limits = options_.limits;
    bool over_events = events_.size() + 1 > limits.max_events;
    bool over_bytes =
        !events_.empty() && bytes_ + ev->size() > limits.max_bytes;
    if (over_events || over_bytes) {
      refused = true;
      report_full = !full_reported_;
      full_reported_ = true;
    } else {
      events_.push_back(ev);
      bytes_ += ev->size();
      start_forwarding = !forwarding_;
      forwarding_ = true;
    }
  }

  // Callbacks and spawns happen outside the lock: the owner's handler may
  // take locks of its own.
  if (refused) {
    if (report_full && options_.on_full) options_.on_full();
    return errc::queue_full;
  }
  if (!start_forwarding) return {};
  boost::asio::co_spawn(executor_, forward_loop(shared_from_this()),
                        boost::asio::detached);
  return {};
}

error_code queue::close() {
  bool close_now = false;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return errc::sink_closed;
    closed_ = true;
    // With nothing in flight the destination can close here; otherwise the
    // forwarding coroutine closes it after the last queued event.
    close_now = !forwarding_;
  }
  if (close_now) destination_->close();
  return {};
}

std::size_t queue::size() const {
  std::lock_guard lock(mutex_);
  return events_.size();
}

bool queue::idle() const {
  std::lock_guard lock(mutex_);
  return events_.empty() && !forwarding_;
}

std::size_t queue::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

// Takes the next event, or ends forwarding when there is none. Bytes are
// released only when the event leaves, so the limit covers what waits.
// Ending forwarding on a closed queue sets `close_destination`: deciding it
// under the same lock as close() makes exactly one of the two close it.
event_ptr queue::pop(bool& close_destination) {
  std::lock_guard lock(mutex_);
  if (events_.empty()) {
    forwarding_ = false;
    close_destination = closed_;
    return nullptr;
  }
  event_ptr ev = std::move(events_.front());
  events_.pop_front();
  bytes_ -= ev->size();
  return ev;
}

// `self` is a parameter, not taken in the body, so that the coroutine owns
// its queue from co_spawn on, before it first runs.
boost::asio::awaitable<void> queue::forward_loop(std::shared_ptr<queue> self) {
  bool close_destination = false;
  while (event_ptr ev = self->pop(close_destination)) {
    error_code ec = co_await destination_->async_write(ev);
    if (ec && ec != errc::sink_closed) {
      ++failures_;
      if (options_.on_error) options_.on_error(ev, ec);
    }
  }
  if (close_destination) destination_->close();
}

}  // namespace evd::core
