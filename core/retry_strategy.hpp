// When a retrying sink may try again after failures. Two strategies with
// the semantics of docker/go-events: a breaker that opens after a run of
// failures, and exponential backoff with jitter.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <random>

#include "core/error.hpp"
#include "core/event.hpp"

namespace evd::core {

using retry_clock = std::chrono::steady_clock;

// Reads the time. Tests pass a clock they move by hand.
using clock_source = std::function<retry_clock::time_point()>;

class retry_strategy {
 public:
  virtual ~retry_strategy() = default;

  // How long to wait before writing `ev`; zero or less means write now.
  virtual retry_clock::duration proceed(const event& ev) = 0;

  // Records a failed write. Returns true when the event should be dropped
  // rather than retried.
  virtual bool failure(const event& ev, error_code ec) = 0;

  // Records a successful write; both strategies reset on success.
  virtual void success(const event& ev) = 0;
};

// Lets writes through until `threshold` consecutive failures, then holds
// them back until `backoff` has passed since the last failure. Never drops.
class breaker : public retry_strategy {
 public:
  breaker(unsigned threshold, retry_clock::duration backoff,
          clock_source now = retry_clock::now);

  retry_clock::duration proceed(const event& ev) override;
  bool failure(const event& ev, error_code ec) override;
  void success(const event& ev) override;

 private:
  std::mutex mutex_;
  unsigned threshold_;
  retry_clock::duration backoff_;
  clock_source now_;
  unsigned failures_ = 0;
  retry_clock::time_point last_failure_{};
};

// After n consecutive failures, waits a uniformly random time in
// [0, min(base + factor * 2^(n-1), max)). Never drops.
class exponential_backoff : public retry_strategy {
 public:
  struct config {
    retry_clock::duration base = std::chrono::seconds(1);
    retry_clock::duration factor = std::chrono::seconds(1);
    retry_clock::duration max = std::chrono::seconds(20);
  };

  // `seed` fixes the jitter sequence, for tests.
  explicit exponential_backoff(config cfg, std::uint64_t seed = 0);

  retry_clock::duration proceed(const event& ev) override;
  bool failure(const event& ev, error_code ec) override;
  void success(const event& ev) override;

  // The ceiling of the jitter after `failures` consecutive failures.
  retry_clock::duration ceiling(unsigned failures) const;

 private:
  std::mutex mutex_;
  config config_;
  std::mt19937_64 random_;
  unsigned failures_ = 0;
};

}  // namespace evd::core
