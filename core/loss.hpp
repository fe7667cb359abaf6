// A record of events a bounded queue threw away, so that whoever reads the
// queue can be told exactly what it did not get.
#pragma once

#include <algorithm>
#include <cstdint>

namespace evd::core {

// `count` events were lost; the lowest and highest seq among them are
// `first_seq` and `last_seq`. Events are filtered before they are queued,
// so the lost seqs need not be contiguous: count <= last - first + 1.
struct loss_report {
  std::uint64_t count = 0;
  std::uint64_t first_seq = 0;
  std::uint64_t last_seq = 0;

  bool empty() const noexcept { return count == 0; }

  // Adds one lost event.
  void add(std::uint64_t seq) noexcept { merge({1, seq, seq}); }

  // Adds another report's losses to this one.
  void merge(const loss_report& other) noexcept {
    if (other.empty()) return;
    first_seq =
        empty() ? other.first_seq : std::min(first_seq, other.first_seq);
    last_seq = std::max(last_seq, other.last_seq);
    count += other.count;
  }

  friend bool operator==(const loss_report&, const loss_report&) = default;
};

}  // namespace evd::core
