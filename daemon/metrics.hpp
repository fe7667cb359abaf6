// Process-wide counters of what evd has done, read by /metrics, the stats
// op and the systemd STATUS= line. Every counter is a relaxed atomic: any
// thread adds, any thread reads, and a reader may see one counter a
// moment ahead of another.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include <nlohmann/json.hpp>

#include "daemon/close_reason.hpp"

namespace evd::core {
class event;
}

namespace evd::daemon {

class broker;

// Upper bounds, in microseconds, of the publish-to-deliver latency
// histogram's buckets; one more bucket holds everything slower.
inline constexpr std::array<std::uint64_t, 12> latency_bounds_us{
    50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 1000000};

// Why events a subscription matched never reached its connection, when it
// was not the connection closing.
enum class drop_reason {
  slow_consumer,  // refused by a full queue, or held when evd cut it off
  overflow,       // thrown away by a drop_oldest or drop_newest policy
  unsubscribed,   // held when its client unsubscribed
};

// Every drop_reason in declaration order, as close_reasons lists those.
inline constexpr std::array drop_reasons{
    drop_reason::slow_consumer,
    drop_reason::overflow,
    drop_reason::unsubscribed,
};

std::string_view to_string(drop_reason r) noexcept;

// The reason label of evd_events_dropped_total: a drop_reason, or the
// close_reason of the connection that held the events when it closed.
using drop_cause = std::variant<drop_reason, close_reason>;

std::string_view to_string(const drop_cause& why) noexcept;

// How many labels evd_events_dropped_total has.
inline constexpr std::size_t drop_causes =
    drop_reasons.size() + close_reasons.size();

// A consistent-enough copy of the counters, plus the broker's gauges.
struct stats_snapshot {
  std::uint64_t connections = 0;  // open now
  std::uint64_t connections_total = 0;
  std::uint64_t subscriptions = 0;  // open now
  std::uint64_t published = 0;
  std::uint64_t delivered = 0;
  // Every label of evd_events_dropped_total with its count.
  std::array<std::pair<std::string_view, std::uint64_t>, drop_causes> dropped{};
  std::uint64_t history_events = 0;
  std::uint64_t history_bytes = 0;
  std::uint64_t events_live = 0;  // in memory: history, queues, writes
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
  std::uint64_t queued_events = 0;     // in subscription queues now
  std::uint64_t queue_deepest = 0;     // in the fullest queue now
  std::uint64_t queue_high_water = 0;  // most in one queue, ever
  // The allocator's view (glibc mallinfo2): bytes handed out and not yet
  // freed, and bytes it holds free. Resident size is neither: free bytes
  // in a page that still holds a live allocation stay resident.
  std::uint64_t heap_in_use = 0;
  std::uint64_t heap_free = 0;
  std::array<std::uint64_t, latency_bounds_us.size() + 1> latency_buckets{};
  std::uint64_t latency_count = 0;
  std::uint64_t latency_sum_us = 0;
};

class metrics {
 public:
  void connection_opened() { add(connections_opened_, 1); }
  void connection_closed() { add(connections_closed_, 1); }
  void received(std::uint64_t bytes) { add(bytes_in_, bytes); }
  void sent(std::uint64_t bytes) { add(bytes_out_, bytes); }
  // `n` events a subscription matched will never reach its connection,
  // for `why`. Each lost event is counted once, by whoever decides it is
  // lost.
  void dropped(drop_cause why, std::uint64_t n);
  // A subscription's queue is gone: its high-water mark still counts
  // towards the process's.
  void queue_ended(std::uint64_t high_water);

  // Called by a writer as it finishes writing `ev` to a subscriber: counts
  // the delivery and feeds the time since the event was published to the
  // latency histogram, however far behind the subscriber is. A replayed
  // event (`since`) counts with its age.
  void delivered(const core::event& ev);

  stats_snapshot snapshot(const broker& hub) const;

 private:
  static void add(std::atomic<std::uint64_t>& c, std::uint64_t n) {
    c.fetch_add(n, std::memory_order_relaxed);
  }

  std::atomic<std::uint64_t> connections_opened_{0};
  std::atomic<std::uint64_t> connections_closed_{0};
  std::atomic<std::uint64_t> bytes_in_{0};
  std::atomic<std::uint64_t> bytes_out_{0};
  std::array<std::atomic<std::uint64_t>, drop_causes> dropped_{};
  std::atomic<std::uint64_t> ended_high_water_{0};
  std::atomic<std::uint64_t> delivered_{0};

  std::array<std::atomic<std::uint64_t>, latency_bounds_us.size() + 1>
      buckets_{};
  std::atomic<std::uint64_t> latency_sum_us_{0};
};

// The one instance: the counters describe the process, as its pid does.
metrics& process_metrics();

// The Prometheus text exposition format (version 0.0.4) of `s`.
std::string render_prometheus(const stats_snapshot& s);

// The same figures as a JSON object, for the stats op.
nlohmann::ordered_json to_json(const stats_snapshot& s);

}  // namespace evd::daemon
