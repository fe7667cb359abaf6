#include "bench/stats.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace evd::bench {

std::size_t latency_histogram::bucket_of(std::uint64_t v) noexcept {
  if (v < (std::uint64_t{2} << sub_bits)) return v;
  int shift = std::bit_width(v) - 1 - sub_bits;
  return (static_cast<std::size_t>(shift) << sub_bits) + (v >> shift);
}

std::uint64_t latency_histogram::upper_edge(std::size_t bucket) noexcept {
  if (bucket < (std::size_t{2} << sub_bits)) return bucket;
  int shift = static_cast<int>(bucket >> sub_bits) - 1;
  std::uint64_t mantissa = bucket - (std::size_t(shift) << sub_bits);
  return ((mantissa + 1) << shift) - 1;
}

void latency_histogram::record(std::int64_t ns) noexcept {
  std::uint64_t v = ns < 0 ? 0 : static_cast<std::uint64_t>(ns);
  ++buckets_[bucket_of(v)];
  ++count_;
  max_ = std::max(max_, v);
}

void latency_histogram::merge(const latency_histogram& other) noexcept {
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    buckets_[i] += other.buckets_[i];
  }
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
}

std::uint64_t latency_histogram::quantile(double q) const noexcept {
  if (count_ == 0) return 0;
  auto rank = static_cast<std::uint64_t>(std::ceil(q * count_));
  rank = std::clamp<std::uint64_t>(rank, 1, count_);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= rank) return std::min(upper_edge(i), max_);
  }
  return max_;
}

}  // namespace evd::bench
