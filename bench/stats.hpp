// Latency bookkeeping for evd_bench: a fixed-size log-linear histogram, so
// memory does not grow with the number of events and per-subscriber
// histograms merge by addition.
#pragma once

#include <array>
#include <cstdint>

namespace evd::bench {

// Records non-negative durations in nanoseconds. Values below 128 ns are
// kept exactly; above, each power of two is split into 64 buckets, so a
// reported value is at most 1/64 (about 1.6 %) above the true one. Not
// thread-safe: each subscriber owns one and they are merged afterwards.
class latency_histogram {
 public:
  // Negative values (a clock going backwards) count as zero.
  void record(std::int64_t ns) noexcept;

  // Adds every sample of `other` to this histogram.
  void merge(const latency_histogram& other) noexcept;

  std::uint64_t count() const noexcept { return count_; }
  std::uint64_t max() const noexcept { return max_; }

  // The smallest recorded value v such that a fraction `q` (0..1] of the
  // samples are <= v, rounded up to its bucket's upper edge and capped at
  // max(); 0 when empty.
  std::uint64_t quantile(double q) const noexcept;

 private:
  // Values below 2 << sub_bits map to themselves; above, a value keeps its
  // top sub_bits + 1 bits, and each count of dropped bits owns 1 << sub_bits
  // consecutive buckets. The largest 64-bit value drops 57 bits.
  static constexpr int sub_bits = 6;
  static constexpr std::size_t bucket_count = (64 - sub_bits + 1) << sub_bits;

  static std::size_t bucket_of(std::uint64_t v) noexcept;
  static std::uint64_t upper_edge(std::size_t bucket) noexcept;

  std::array<std::uint64_t, bucket_count> buckets_{};
  std::uint64_t count_ = 0;
  std::uint64_t max_ = 0;
};

}  // namespace evd::bench
