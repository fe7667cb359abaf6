#include "daemon/broker.hpp"

#include <utility>

#include "core/event.hpp"
#include "daemon/metrics.hpp"

namespace evd::daemon {

std::uint64_t broker::publish(nlohmann::json doc, std::string bytes) {
  // The seq and the fan-out happen under one lock: that is what keeps every
  // subscription's events in seq order.
  std::lock_guard lock(publish_mutex_);
  if (closed_) return 0;
  std::uint64_t seq = last_seq_.load(std::memory_order_relaxed) + 1;
  auto ev = std::make_shared<const core::event>(std::move(doc),
                                                std::move(bytes), seq);
  process_metrics().published(seq);
  broadcaster_.write(ev);
  last_seq_.store(seq, std::memory_order_release);
  return seq;
}

core::error_code broker::subscribe(std::shared_ptr<core::sink> head) {
  return broadcaster_.add(std::move(head));
}

void broker::unsubscribe(const std::shared_ptr<core::sink>& head) {
  broadcaster_.remove(head);
}

void broker::close() {
  {
    std::lock_guard lock(publish_mutex_);
    closed_ = true;
  }
  broadcaster_.close();
}

}  // namespace evd::daemon
