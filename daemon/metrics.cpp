#include "daemon/metrics.hpp"

#include <malloc.h>

#include <algorithm>

#include <fmt/format.h>

#include "core/event.hpp"
#include "daemon/broker.hpp"

namespace evd::daemon {
namespace {

// Where a cause's count lives: the drop_reasons first, then the
// close_reasons, each in declaration order.
std::size_t index_of(const drop_cause& why) {
  if (auto* r = std::get_if<drop_reason>(&why)) {
    return static_cast<std::size_t>(*r);
  }
  return drop_reasons.size() +
         static_cast<std::size_t>(std::get<close_reason>(why));
}

drop_cause cause_at(std::size_t i) {
  if (i < drop_reasons.size()) return drop_reasons[i];
  return close_reasons[i - drop_reasons.size()];
}

}  // namespace

std::string_view to_string(drop_reason r) noexcept {
  switch (r) {
    case drop_reason::slow_consumer:
      return "slow_consumer";
    case drop_reason::overflow:
      return "overflow";
    case drop_reason::unsubscribed:
      return "unsubscribed";
  }
  return "unknown";
}

std::string_view to_string(const drop_cause& why) noexcept {
  return std::visit([](auto r) { return to_string(r); }, why);
}

void metrics::dropped(drop_cause why, std::uint64_t n) {
  if (n > 0) add(dropped_[index_of(why)], n);
}

void metrics::queue_ended(std::uint64_t high_water) {
  auto seen = ended_high_water_.load(std::memory_order_relaxed);
  while (high_water > seen &&
         !ended_high_water_.compare_exchange_weak(seen, high_water,
                                                  std::memory_order_relaxed)) {
  }
}

void metrics::delivered(const core::event& ev) {
  add(delivered_, 1);
  // The broker builds each event as it publishes it, so its creation time
  // is its publish time.
  auto waited = core::event::clock::now() - ev.created();
  std::uint64_t us =
      std::chrono::duration_cast<std::chrono::microseconds>(waited).count();
  std::size_t b = 0;
  while (b < latency_bounds_us.size() && us > latency_bounds_us[b]) ++b;
  add(buckets_[b], 1);
  add(latency_sum_us_, us);
}

stats_snapshot metrics::snapshot(const broker& hub) const {
  auto get = [](const std::atomic<std::uint64_t>& c) {
    return c.load(std::memory_order_relaxed);
  };
  stats_snapshot s;
  auto closed = get(connections_closed_);
  s.connections_total = get(connections_opened_);
  s.connections =
      s.connections_total > closed ? s.connections_total - closed : 0;
  s.subscriptions = hub.subscriptions();
  s.published = hub.last_seq();
  s.delivered = get(delivered_);
  for (std::size_t i = 0; i < dropped_.size(); ++i) {
    s.dropped[i] = {to_string(cause_at(i)), get(dropped_[i])};
  }
  auto held = hub.history_held();
  s.history_events = held.events;
  s.history_bytes = held.bytes;
  s.events_live = core::event::live();
  s.bytes_in = get(bytes_in_);
  s.bytes_out = get(bytes_out_);
  auto queued = hub.queued();
  s.queued_events = queued.events;
  s.queue_deepest = queued.deepest;
  s.queue_high_water =
      std::max<std::uint64_t>(queued.high_water, get(ended_high_water_));
  // Walks every arena under its lock: cheap for a scrape, not per event.
  struct mallinfo2 heap = ::mallinfo2();
  s.heap_in_use = heap.uordblks + heap.hblkhd;
  s.heap_free = heap.fordblks;
  for (std::size_t b = 0; b < buckets_.size(); ++b) {
    s.latency_buckets[b] = get(buckets_[b]);
    s.latency_count += s.latency_buckets[b];
  }
  s.latency_sum_us = get(latency_sum_us_);
  return s;
}

metrics& process_metrics() {
  static metrics instance;
  return instance;
}

std::string render_prometheus(const stats_snapshot& s) {
  std::string out;
  auto metric = [&](const char* name, const char* type, const char* help,
                    std::uint64_t value) {
    out += fmt::format("# HELP {0} {1}\n# TYPE {0} {2}\n{0} {3}\n", name, help,
                       type, value);
  };
  metric("evd_connections", "gauge", "Client connections open now.",
         s.connections);
  metric("evd_connections_total", "counter", "Client connections accepted.",
         s.connections_total);
  metric("evd_subscriptions", "gauge", "Subscriptions open now.",
         s.subscriptions);
  metric("evd_events_published_total", "counter", "Events accepted.",
         s.published);
  metric("evd_events_delivered_total", "counter",
         "Events written to subscribers.", s.delivered);

  out +=
      "# HELP evd_events_dropped_total Events a subscription matched and "
      "never handed to its connection, by reason.\n"
      "# TYPE evd_events_dropped_total counter\n";
  for (const auto& [reason, n] : s.dropped) {
    out += fmt::format("evd_events_dropped_total{{reason=\"{}\"}} {}\n", reason,
                       n);
  }

  metric("evd_bytes_in_total", "counter", "Bytes read from clients.",
         s.bytes_in);
  metric("evd_bytes_out_total", "counter", "Bytes written to clients.",
         s.bytes_out);
  metric("evd_history_events", "gauge", "Events held for replay.",
         s.history_events);
  metric("evd_history_bytes", "gauge", "Bytes of events held for replay.",
         s.history_bytes);
  metric("evd_events_live", "gauge",
         "Events in memory: held for replay, queued or being written.",
         s.events_live);
  metric("evd_queued_events", "gauge",
         "Events waiting in subscription queues now.", s.queued_events);
  metric("evd_queue_deepest_events", "gauge",
         "Events waiting in the fullest subscription queue now.",
         s.queue_deepest);
  metric("evd_queue_high_water_events", "gauge",
         "Most events one subscription queue has held at once.",
         s.queue_high_water);
  metric("evd_heap_in_use_bytes", "gauge",
         "Bytes the allocator has handed out and not had back.", s.heap_in_use);
  metric("evd_heap_free_bytes", "gauge",
         "Bytes the allocator holds free, resident or not.", s.heap_free);

  const char* name = "evd_publish_to_deliver_seconds";
  out += fmt::format(
      "# HELP {0} Time from an event's publish to its write to a "
      "subscriber.\n# TYPE {0} histogram\n",
      name);
  std::uint64_t cumulative = 0;
  for (std::size_t b = 0; b < latency_bounds_us.size(); ++b) {
    cumulative += s.latency_buckets[b];
    out += fmt::format("{}_bucket{{le=\"{}\"}} {}\n", name,
                       static_cast<double>(latency_bounds_us[b]) / 1e6,
                       cumulative);
  }
  out += fmt::format("{}_bucket{{le=\"+Inf\"}} {}\n", name, s.latency_count);
  out += fmt::format("{}_sum {}\n", name,
                     static_cast<double>(s.latency_sum_us) / 1e6);
  out += fmt::format("{}_count {}\n", name, s.latency_count);
  return out;
}

nlohmann::ordered_json to_json(const stats_snapshot& s) {
  nlohmann::ordered_json j;
  j["connections"] = s.connections;
  j["connections_total"] = s.connections_total;
  j["subscriptions"] = s.subscriptions;
  j["published"] = s.published;
  j["delivered"] = s.delivered;
  nlohmann::ordered_json dropped;
  for (const auto& [reason, n] : s.dropped) dropped[std::string(reason)] = n;
  j["dropped"] = dropped;
  j["history"] = {{"events", s.history_events}, {"bytes", s.history_bytes}};
  j["events_live"] = s.events_live;
  j["bytes_in"] = s.bytes_in;
  j["bytes_out"] = s.bytes_out;
  j["queues"] = {{"events", s.queued_events},
                 {"deepest", s.queue_deepest},
                 {"high_water", s.queue_high_water}};
  j["heap"] = {{"in_use_bytes", s.heap_in_use}, {"free_bytes", s.heap_free}};
  nlohmann::ordered_json latency;
  latency["count"] = s.latency_count;
  latency["mean_us"] = s.latency_count ? s.latency_sum_us / s.latency_count : 0;
  nlohmann::ordered_json buckets;
  for (std::size_t b = 0; b < latency_bounds_us.size(); ++b) {
    buckets[std::to_string(latency_bounds_us[b])] = s.latency_buckets[b];
  }
  buckets["inf"] = s.latency_buckets.back();
  latency["buckets_us"] = buckets;
  j["latency"] = latency;
  return j;
}

}  // namespace evd::daemon
