// The events a run publishes: synthetic bench events of one size, or real
// events from an NDJSON file, each wrapped so that it carries the bench's
// numbering and send time. Every broker carries exactly these bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace evd::bench {

class event_source {
 public:
  // Bench events of exactly `size` bytes (see frame.hpp).
  explicit event_source(std::size_t size = 256);

  // One event per non-empty line of `path`, used in turn, each published
  // as {"type":"bench.tick","n":N,"t":T,"data":LINE}, so filters, numbering
  // and timing work as for synthetic events while the broker carries the
  // real document. Throws std::runtime_error if the file cannot be read or
  // holds no line.
  static event_source from_file(const std::string& path);

  // Appends event `n`, stamped `sent_ns`, with no terminator.
  void append(std::string& out, std::uint64_t n, std::int64_t sent_ns) const;

  // Upper bounds on the size of any event, and the mean over `events`
  // consecutive events from n = 0, for buffer sizes and byte rates.
  std::size_t max_size() const noexcept { return max_size_; }
  double mean_size(std::uint64_t events) const;

  bool synthetic() const noexcept { return documents_.empty(); }

 private:
  // The bytes event `n` stamped `sent_ns` adds around its document.
  static std::size_t wrapping(std::uint64_t n, std::int64_t sent_ns);

  std::size_t size_;                    // synthetic events
  std::vector<std::string> documents_;  // real events, in file order
  std::size_t max_size_ = 0;
};

}  // namespace evd::bench
