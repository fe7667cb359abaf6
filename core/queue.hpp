// A queue decouples a writer from a slow destination: writes never block,
// and a coroutine on the queue's executor forwards events in order. When it
// is full, its overflow policy decides what is lost, and the loss is
// reported downstream in stream order.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>

#include <boost/asio/any_io_executor.hpp>

#include "core/loss.hpp"
#include "core/sink.hpp"

namespace evd::core {

// Bounds on what a queue holds before its overflow policy applies. A queue
// whose bytes are bounded still accepts one event larger than the bound
// when it is empty, so that no single event is unsendable.
struct queue_limits {
  std::size_t max_events = std::numeric_limits<std::size_t>::max();
  std::size_t max_bytes = std::numeric_limits<std::size_t>::max();
};

// What a full queue does with a write.
enum class overflow_policy {
  // Refuse it with queue_full and call on_full once; the owner is expected
  // to give up on the destination (swarmkit's LimitQueue).
  refuse,
  // Take it, throwing away the oldest queued events until it fits.
  drop_oldest,
  // Throw it away and keep what is queued.
  drop_newest,
};

class queue : public sink, public std::enable_shared_from_this<queue> {
 public:
  // Called once, from the writer's thread, the first time a write is
  // refused for lack of room under overflow_policy::refuse. It must not
  // write to or close the queue synchronously; post that work instead.
  using full_handler = std::function<void()>;

  // Called from the forwarding coroutine for each event the destination
  // refused with a code other than sink_closed.
  using error_handler = std::function<void(const event_ptr&, error_code)>;

  struct options {
    queue_limits limits;
    overflow_policy on_overflow = overflow_policy::refuse;
    full_handler on_full;
    error_handler on_error;
  };

  // Queues are shared: the forwarding coroutine keeps its queue alive.
  // Events are forwarded on `ex`, one at a time, through dst->async_write.
  static std::shared_ptr<queue> create(boost::asio::any_io_executor ex,
                                       std::shared_ptr<sink> dst, options opts);
  // The same with default options: unbounded, policy refuse.
  static std::shared_ptr<queue> create(boost::asio::any_io_executor ex,
                                       std::shared_ptr<sink> dst);

  // Appends `ev`, or fails with sink_closed. At a limit, refuse and
  // drop_newest fail with queue_full (the event is not taken); drop_oldest
  // succeeds. Under the drop policies the events thrown away are reported
  // through the destination's async_report_loss, just before the next
  // event forwarded after them, or as soon as the queue runs empty.
  error_code write(const event_ptr& ev) override;

  // Appends `ev` ahead of every event write() takes, outside the limits
  // and the overflow policy: for a replay of events the caller holds
  // anyway (the daemon's history), so that a subscriber who asks for the
  // past is not cut off for the size of the past. A replayed event stays
  // alive until forwarded, even if the caller forgets it meanwhile. Must
  // be called before the first write(); fails with sink_closed after
  // close().
  error_code backfill(const event_ptr& ev);

  // Stops accepting; what is queued is forwarded, then the destination is
  // closed. Returns at once: the flush happens on the queue's executor.
  error_code close() override;

  // Stops accepting and throws away what is queued, for a destination
  // whose reader is gone or no longer wants it; returns how many events
  // were thrown away. The destination is closed as close() would.
  // Flushing instead would hand every queued event on, one by one, only
  // to be discarded at the far end.
  std::size_t abandon();

  // Events waiting, replayed ones included.
  std::size_t size() const;
  // The most events that have waited at once, replayed ones included.
  std::size_t high_water() const;
  // Bytes of the waiting events the limits count: replayed ones are not.
  std::size_t bytes() const;
  // Nothing queued and nothing on its way to the destination: everything
  // written so far has been forwarded.
  bool idle() const;
  // Forwards the destination refused (other than by closing).
  std::uint64_t failures() const noexcept { return failures_.load(); }
  // Events the destination took.
  std::uint64_t forwarded() const noexcept { return forwarded_.load(); }
  // Events lost for lack of room: refused or thrown away by the policy.
  std::uint64_t dropped() const noexcept { return dropped_.load(); }

  queue(boost::asio::any_io_executor ex, std::shared_ptr<sink> dst,
        options opts);

 private:
  // A queued event and what was lost just before it.
  struct entry {
    event_ptr event;
    loss_report lost_before;
  };

  boost::asio::awaitable<void> forward_loop(std::shared_ptr<queue> self);
  std::optional<entry> pop(bool& close_destination);
  bool has_room_for(const event& ev) const;
  void drop_front(loss_report& carry);
  void make_room_for(const event& ev);
  void start_forwarding();
  void note_depth();

  boost::asio::any_io_executor executor_;
  std::shared_ptr<sink> destination_;
  options options_;

  mutable std::mutex mutex_;
  std::deque<event_ptr> backfill_;  // forwarded before events_
  std::deque<entry> events_;
  std::size_t bytes_ = 0;        // of events_
  std::size_t high_water_ = 0;   // of backfill_ plus events_
  loss_report lost_after_last_;  // drop_newest losses not yet placed
  bool forwarding_ = false;
  bool closed_ = false;
  bool full_reported_ = false;

  std::atomic<std::uint64_t> failures_{0};
  std::atomic<std::uint64_t> forwarded_{0};
  std::atomic<std::uint64_t> dropped_{0};
};

}  // namespace evd::core
