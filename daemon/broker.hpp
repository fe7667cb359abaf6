// The daemon's one broadcaster, its publish order and its history of
// recent events. Every session publishes and subscribes through the
// broker; it is shared by all I/O threads. The broadcaster asks a
// match::subscription_index which subscriptions an event may pass, so a
// publish does not offer the event to every subscription's filter. Lock
// order: publish_mutex_, then the broadcaster's, then a subscription
// queue's; queues_mutex_ is innermost, and nothing is locked under it.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/indexed_broadcaster.hpp"
#include "core/queue.hpp"
#include "core/sink.hpp"
#include "daemon/subscription.hpp"
#include "match/filter.hpp"
#include "match/subscription_index.hpp"

namespace evd::daemon {

// Where a subscription's delivery starts.
struct replay_start {
  // sink_closed once the broker is closed; then nothing was registered.
  core::error_code ec;
  // The history no longer held every event after `since`: delivery starts
  // at `first_seq` instead (the oldest event held, or the next one to be
  // published when none is).
  bool truncated = false;
  std::uint64_t first_seq = 0;
  // What the replay costs at most, counted as queue bounds count: the
  // replayed events' bytes, plus a pointer each. Set whether or not it
  // fit the allowance.
  std::size_t replay_bytes = 0;
  // The replay would have cost more than the allowance: nothing was
  // registered and nothing replayed.
  bool replay_too_large = false;
};

class broker {
 public:
  // Keeps up to `history` of the most recent events for replay; a bound of
  // zero keeps none.
  explicit broker(core::queue_limits history);

  // Assigns the next seq (1, 2, ...), appends the event (its document and
  // the bytes it was parsed from) to the history and hands it to every
  // subscription; returns the seq, or 0 once the broker is closed. When it
  // returns, both have happened. Concurrent publishers are serialized here,
  // so every subscription sees events in seq order.
  std::uint64_t publish(nlohmann::json doc, std::string bytes);

  // Registers `sub`: its head (a core::filter) on the broadcaster, filed
  // in the index under its rules. With `since`, first backfills its queue
  // with every held event above `since` that its rules match, in seq
  // order; the backfill is outside the queue's limits, so a subscriber is
  // never cut off for the size of the replay it asked for. Replay and
  // registration happen under the publish lock, so live events follow the
  // replayed ones with no gap and no duplicate. The index insert costs a
  // few hash-map operations, so publishers wait for it no longer than for
  // the replay.
  //
  // A replay holds its events until delivered, even once the history has
  // let them go, so it costs up to their bytes: one that would cost more
  // than `replay_allowance` is refused (replay_too_large) before anything
  // is registered.
  replay_start subscribe(const subscription& sub,
                         std::optional<std::uint64_t> since,
                         std::size_t replay_allowance);

  // Unregisters it; no event published after this returns reaches it.
  // Waits for a publish in progress. Unregistering a head that is not
  // registered does nothing. Until then its queue counts in queued(), even
  // after close().
  void unsubscribe(const std::shared_ptr<core::sink>& head);

  // Refuses further publishes and closes every subscription, which flushes
  // their queues.
  void close();

  std::uint64_t last_seq() const noexcept { return last_seq_.load(); }
  // What the history holds for replay now.
  struct history_usage {
    std::size_t events = 0;
    std::size_t bytes = 0;
  };
  history_usage history_held() const;
  // Subscriptions registered now; does not wait for a publish.
  std::size_t subscriptions() const noexcept { return broadcaster_.size(); }
  // The subscription queues' backlogs now, in events: all of them
  // together, the deepest one, and the most any of them has held at once.
  // Costs a lock per subscription; does not wait for a publish.
  struct queue_usage {
    std::size_t events = 0;
    std::size_t deepest = 0;
    std::size_t high_water = 0;
  };
  queue_usage queued() const;

 private:
  void remember(core::event_ptr ev);

  const core::queue_limits history_limits_;
  mutable std::mutex publish_mutex_;
  std::atomic<std::uint64_t> last_seq_{0};
  bool closed_ = false;
  // The rest is under publish_mutex_.
  std::deque<core::event_ptr> history_;
  std::size_t history_bytes_ = 0;
  core::indexed_broadcaster<match::subscription_index> broadcaster_;

  // Every subscribed queue by its head, for queued(); under queues_mutex_.
  mutable std::mutex queues_mutex_;
  std::unordered_map<const core::sink*, std::shared_ptr<const core::queue>>
      queues_;
};

}  // namespace evd::daemon
