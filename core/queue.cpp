#include "core/queue.hpp"

#include <algorithm>
#include <cassert>
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

namespace evd::core {

std::shared_ptr<queue> queue::create(boost::asio::any_io_executor ex,
                                     std::shared_ptr<sink> dst, options opts) {
  return std::make_shared<queue>(std::move(ex), std::move(dst),
                                 std::move(opts));
}

std::shared_ptr<queue> queue::create(boost::asio::any_io_executor ex,
                                     std::shared_ptr<sink> dst) {
  return create(std::move(ex), std::move(dst), options{});
}

queue::queue(boost::asio::any_io_executor ex, std::shared_ptr<sink> dst,
             options opts)
    : executor_(std::move(ex)),
      destination_(std::move(dst)),
      options_(std::move(opts)) {}

bool queue::has_room_for(const event& ev) const {
  const auto& limits = options_.limits;
  if (events_.size() + 1 > limits.max_events) return false;
  return events_.empty() || bytes_ + ev.size() <= limits.max_bytes;
}

// Throws the oldest queued event away, adding it and what was lost before
// it to `carry`.
void queue::drop_front(loss_report& carry) {
  entry& front = events_.front();
  carry.merge(front.lost_before);
  carry.add(front.event->seq());
  bytes_ -= front.event->size();
  events_.pop_front();
  ++dropped_;
}

// Drops the oldest events until `ev` fits. What they lost, and they
// themselves, are now lost before the oldest event that stays; with none
// left, before `ev`, which is pushed next.
void queue::make_room_for(const event& ev) {
  loss_report carry;
  while (!events_.empty() && !has_room_for(ev)) drop_front(carry);
  if (events_.empty()) {
    lost_after_last_.merge(carry);
  } else {
    events_.front().lost_before.merge(carry);
  }
}

error_code queue::write(const event_ptr& ev) {
  bool start = false;
  bool report_full = false;
  error_code result;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return errc::sink_closed;

    loss_report lost;
    bool take = has_room_for(*ev);
    if (!take) {
      switch (options_.on_overflow) {
        case overflow_policy::refuse:
          report_full = !full_reported_;
          full_reported_ = true;
          break;
        case overflow_policy::drop_oldest:
          make_room_for(*ev);
          take = true;
          break;
        case overflow_policy::drop_newest:
          lost.add(ev->seq());
          break;
      }
    }

    if (take) {
      events_.push_back({ev, std::exchange(lost_after_last_, {})});
      bytes_ += ev->size();
      note_depth();
      start = !forwarding_;
      forwarding_ = true;
    } else {
      lost_after_last_.merge(lost);
      ++dropped_;
      result = errc::queue_full;
    }
  }

  // Callbacks and spawns happen outside the lock: the owner's handler may
  // take locks of its own.
  if (report_full && options_.on_full) options_.on_full();
  if (start) start_forwarding();
  return result;
}

error_code queue::backfill(const event_ptr& ev) {
  bool start = false;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return errc::sink_closed;
    assert(events_.empty() && lost_after_last_.empty() &&
           "backfill after write");
    backfill_.push_back(ev);
    note_depth();
    start = !forwarding_;
    forwarding_ = true;
  }
  if (start) start_forwarding();
  return {};
}

// Under mutex_, after an event joins: only then can the depth grow.
void queue::note_depth() {
  high_water_ = std::max(high_water_, backfill_.size() + events_.size());
}

void queue::start_forwarding() {
  boost::asio::co_spawn(executor_, forward_loop(shared_from_this()),
                        boost::asio::detached);
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

std::size_t queue::abandon() {
  bool close_now = false;
  std::size_t thrown = 0;
  {
    std::lock_guard lock(mutex_);
    thrown = backfill_.size() + events_.size();
    backfill_.clear();
    events_.clear();
    bytes_ = 0;
    lost_after_last_ = {};
    if (!closed_) {
      closed_ = true;
      close_now = !forwarding_;
    }
  }
  if (close_now) destination_->close();
  return thrown;
}

std::size_t queue::size() const {
  std::lock_guard lock(mutex_);
  return backfill_.size() + events_.size();
}

std::size_t queue::high_water() const {
  std::lock_guard lock(mutex_);
  return high_water_;
}

bool queue::idle() const {
  std::lock_guard lock(mutex_);
  return backfill_.empty() && events_.empty() && !forwarding_;
}

std::size_t queue::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

// Takes the next event, or ends forwarding when there is none. Bytes are
// released only when the event leaves, so the limit covers what waits.
// Losses after the last queued event are handed out (without an event) as
// soon as the queue runs empty: nothing queued is older than them then.
// Ending forwarding on a closed queue sets `close_destination`: deciding it
// under the same lock as close() makes exactly one of the two close it.
std::optional<queue::entry> queue::pop(bool& close_destination) {
  std::lock_guard lock(mutex_);
  if (!backfill_.empty()) {
    entry next{std::move(backfill_.front()), {}};
    backfill_.pop_front();
    return next;
  }
  if (events_.empty()) {
    if (!lost_after_last_.empty()) {
      return entry{nullptr, std::exchange(lost_after_last_, {})};
    }
    forwarding_ = false;
    close_destination = closed_;
    return std::nullopt;
  }
  entry next = std::move(events_.front());
  events_.pop_front();
  bytes_ -= next.event->size();
  return next;
}

// `self` is a parameter, not taken in the body, so that the coroutine owns
// its queue from co_spawn on, before it first runs.
boost::asio::awaitable<void> queue::forward_loop(std::shared_ptr<queue> self) {
  bool close_destination = false;
  while (auto next = self->pop(close_destination)) {
    if (!next->lost_before.empty()) {
      co_await destination_->async_report_loss(next->lost_before);
    }
    if (!next->event) continue;
    error_code ec = co_await destination_->async_write(next->event);
    if (!ec) {
      ++forwarded_;
    } else if (ec == errc::sink_closed) {
      // The destination takes nothing more: what waits can only be lost.
      self->abandon();
    } else {
      ++failures_;
      if (options_.on_error) options_.on_error(next->event, ec);
    }
  }
  if (close_destination) destination_->close();
}

}  // namespace evd::core
