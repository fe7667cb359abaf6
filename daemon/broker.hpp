// The daemon's one broadcaster and its publish order. Every session
// publishes and subscribes through the broker; it is shared by all I/O
// threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "core/broadcaster.hpp"

namespace evd::daemon {

class broker {
 public:
  // Assigns the next seq (1, 2, ...) and hands the event (its document and
  // the bytes it was parsed from) to every subscription; returns the seq,
  // or 0 once the broker is closed. Concurrent publishers are serialized
  // here, so every subscription sees events in seq order.
  std::uint64_t publish(nlohmann::json doc, std::string bytes);

  // Registers a subscription's head sink; fails with sink_closed after
  // close().
  core::error_code subscribe(std::shared_ptr<core::sink> head);

  // Unregisters it; no event published after this returns reaches it.
  void unsubscribe(const std::shared_ptr<core::sink>& head);

  // Refuses further publishes and closes every subscription, which flushes
  // their queues.
  void close();

  std::uint64_t last_seq() const noexcept { return last_seq_.load(); }
  std::size_t subscriptions() const { return broadcaster_.size(); }

 private:
  std::mutex publish_mutex_;
  std::atomic<std::uint64_t> last_seq_{0};
  bool closed_ = false;
  core::broadcaster broadcaster_;
};

}  // namespace evd::daemon
