#include "daemon/broker.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "core/event.hpp"

namespace evd::daemon {

broker::broker(core::queue_limits history) : history_limits_(history) {}

// Appends `ev` to the history and forgets the oldest events past either
// bound. Called under publish_mutex_.
void broker::remember(core::event_ptr ev) {
  if (history_limits_.max_events == 0 || history_limits_.max_bytes == 0) {
    return;
  }
  history_bytes_ += ev->size();
  history_.push_back(std::move(ev));
  while (history_.size() > history_limits_.max_events ||
         history_bytes_ > history_limits_.max_bytes) {
    history_bytes_ -= history_.front()->size();
    history_.pop_front();
  }
}

std::uint64_t broker::publish(nlohmann::json doc, std::string bytes) {
  // The seq and the fan-out happen under one lock: that is what keeps every
  // subscription's events in seq order.
  std::lock_guard lock(publish_mutex_);
  if (closed_) return 0;
  std::uint64_t seq = last_seq_.load(std::memory_order_relaxed) + 1;
  auto ev = std::make_shared<const core::event>(std::move(doc),
                                                std::move(bytes), seq);
  remember(ev);
  broadcaster_.write(ev);
  last_seq_.store(seq, std::memory_order_release);
  return seq;
}

replay_start broker::subscribe(const subscription& sub,
                               std::optional<std::uint64_t> since,
                               std::size_t replay_allowance) {
  std::lock_guard lock(publish_mutex_);
  if (closed_) return {core::errc::sink_closed};
  replay_start start;
  if (since) {
    std::uint64_t last = last_seq_.load(std::memory_order_relaxed);
    std::uint64_t first_held =
        history_.empty() ? last + 1 : history_.front()->seq();
    if (*since < last && *since + 1 < first_held) {
      start.truncated = true;
      start.first_seq = first_held;
    }
    // The history is in seq order: skip to the first event after `since`.
    auto it = std::partition_point(
        history_.begin(), history_.end(),
        [&](const core::event_ptr& ev) { return ev->seq() <= *since; });
    std::vector<core::event_ptr> replay;
    for (; it != history_.end(); ++it) {
      if (!sub.rules->matches((*it)->doc())) continue;
      start.replay_bytes += (*it)->size() + sizeof(core::event_ptr);
      replay.push_back(*it);
    }
    if (start.replay_bytes > replay_allowance) {
      start.replay_too_large = true;
      return start;
    }
    for (const auto& ev : replay) sub.pending->backfill(ev);
  }
  start.ec = broadcaster_.add(sub.head, sub.rules);
  if (!start.ec) {
    std::lock_guard queues_lock(queues_mutex_);
    queues_.emplace(sub.head.get(), sub.pending);
  }
  return start;
}

broker::history_usage broker::history_held() const {
  std::lock_guard lock(publish_mutex_);
  return {history_.size(), history_bytes_};
}

void broker::unsubscribe(const std::shared_ptr<core::sink>& head) {
  broadcaster_.remove(head);
  std::lock_guard lock(queues_mutex_);
  queues_.erase(head.get());
}

broker::queue_usage broker::queued() const {
  // Copied first, so that subscribing (under the publish lock) never
  // waits for a lock per queue.
  std::vector<std::shared_ptr<const core::queue>> queues;
  {
    std::lock_guard lock(queues_mutex_);
    queues.reserve(queues_.size());
    for (const auto& [head, q] : queues_) queues.push_back(q);
  }
  queue_usage usage;
  for (const auto& q : queues) {
    std::size_t depth = q->size();
    usage.events += depth;
    usage.deepest = std::max(usage.deepest, depth);
    usage.high_water = std::max(usage.high_water, q->high_water());
  }
  return usage;
}

void broker::close() {
  {
    std::lock_guard lock(publish_mutex_);
    closed_ = true;
  }
  broadcaster_.close();
}

}  // namespace evd::daemon
