// An event as the library moves it: parsed once, serialized once, then
// shared read-only by every sink it reaches.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace evd::core {

class event;

// Events are immutable; sinks and queues hold them by this shared pointer so
// that fanning one out to N subscribers copies a pointer, not the bytes.
using event_ptr = std::shared_ptr<const event>;

class event {
 public:
  using clock = std::chrono::steady_clock;

  // Takes a parsed document and the bytes it was parsed from. The caller
  // promises that `json` is the serialization of `doc`.
  event(nlohmann::json doc, std::string json, std::uint64_t seq = 0);
  ~event();
  event(const event&) = delete;
  event& operator=(const event&) = delete;

  // Builds an event from a document, serializing it once.
  static event_ptr make(nlohmann::json doc, std::uint64_t seq = 0);

  const nlohmann::json& doc() const noexcept { return doc_; }
  std::string_view json() const noexcept { return json_; }
  std::size_t size() const noexcept { return json_.size(); }

  // Position in the daemon's publish order; 0 for events made in-process.
  std::uint64_t seq() const noexcept { return seq_; }

  // When the event was built, for publish-to-deliver latency.
  clock::time_point created() const noexcept { return created_; }

  // Events alive in this process now. Whoever holds events (a history, a
  // queue) can be checked against it: a count above what they hold is a
  // leak, while memory the allocator keeps after a burst is not.
  static std::size_t live() noexcept {
    return live_.load(std::memory_order_relaxed);
  }

 private:
  nlohmann::json doc_;
  std::string json_;
  std::uint64_t seq_;
  clock::time_point created_;

  static inline std::atomic<std::size_t> live_{0};
};

}  // namespace evd::core
