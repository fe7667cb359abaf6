#include "core/retry_strategy.hpp"

#include <utility>

namespace evd::core {

breaker::breaker(unsigned threshold, retry_clock::duration backoff,
                 clock_source now)
    : threshold_(threshold), backoff_(backoff), now_(std::move(now)) {}

retry_clock::duration breaker::proceed(const event&) {
  std::lock_guard lock(mutex_);
  if (failures_ < threshold_) return retry_clock::duration::zero();
  return last_failure_ + backoff_ - now_();
}

bool breaker::failure(const event&, error_code) {
  std::lock_guard lock(mutex_);
  ++failures_;
  last_failure_ = now_();
  return false;
}

void breaker::success(const event&) {
  std::lock_guard lock(mutex_);
  failures_ = 0;
  last_failure_ = {};
}

exponential_backoff::exponential_backoff(config cfg, std::uint64_t seed)
    : config_(cfg), random_(seed) {}

retry_clock::duration exponential_backoff::ceiling(unsigned failures) const {
  if (failures == 0) return retry_clock::duration::zero();
  // Past 62 doublings the product overflows; the cap applies long before.
  if (failures > 62) return config_.max;
  auto doublings = std::int64_t{1} << (failures - 1);
  auto factor = config_.factor.count();
  if (factor != 0 && doublings > retry_clock::duration::max().count() / factor)
    return config_.max;
  auto grown = config_.base + retry_clock::duration(factor * doublings);
  if (grown > config_.max || grown < retry_clock::duration::zero())
    return config_.max;
  return grown;
}

retry_clock::duration exponential_backoff::proceed(const event&) {
  std::lock_guard lock(mutex_);
  auto top = ceiling(failures_);
  if (top <= retry_clock::duration::zero()) return top;
  std::uniform_int_distribution<retry_clock::rep> pick(0, top.count() - 1);
  return retry_clock::duration(pick(random_));
}

bool exponential_backoff::failure(const event&, error_code) {
  std::lock_guard lock(mutex_);
  ++failures_;
  return false;
}

void exponential_backoff::success(const event&) {
  std::lock_guard lock(mutex_);
  failures_ = 0;
}

}  // namespace evd::core
