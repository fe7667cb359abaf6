// A broadcaster that asks an index which of its sinks an event may reach,
// so that a write costs in proportion to the sinks that want the event
// rather than to all that are registered. Core knows only the shape of the
// index (see sink_index); what it keys sinks by is the caller's business.
// The daemon pairs it with match::subscription_index.
#pragma once

#include <atomic>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/sink.hpp"

namespace evd::core {

// Names a sink inside an indexed_broadcaster and its index.
using sink_id = std::uint64_t;

// What an indexed_broadcaster needs of its index. The broadcaster
// serializes every call, so the index need not be thread-safe.
//
// - insert(id, key) files a sink under `key` and returns false, changing
//   nothing, when `id` is already filed.
// - erase(id) forgets it; erasing an unknown id does nothing.
// - find_candidates(ev, out) appends, each once, the id of every filed
//   sink that may accept `ev`. It may name sinks that will not (each sink
//   has the last word, usually through a core::filter at its head), but
//   it must never leave out one that would.
template <typename Index>
concept sink_index = requires(Index& index, sink_id id,
                              typename Index::key_type key, const event& ev,
                              std::vector<sink_id>& out) {
  { index.insert(id, std::move(key)) } -> std::same_as<bool>;
  index.erase(id);
  index.find_candidates(ev, out);
};

template <sink_index Index>
class indexed_broadcaster : public sink {
 public:
  using key_type = typename Index::key_type;

  indexed_broadcaster() = default;
  indexed_broadcaster(const indexed_broadcaster&) = delete;
  indexed_broadcaster& operator=(const indexed_broadcaster&) = delete;

  // Writes `ev` to every sink the index names for it, in no particular
  // order. A sink that answers sink_closed is dropped; other errors are
  // the sink's business. Returns sink_closed after close().
  //
  // Concurrent writes are serialized, so every sink sees the same order.
  // A sink's write must not block and must not call back into this
  // broadcaster.
  error_code write(const event_ptr& ev) override;

  // Registers `s` under `key`; it is offered every event written after
  // add() returns that the index names it for. Adding a sink that is
  // already registered changes nothing. Fails with sink_closed once the
  // broadcaster is closed.
  error_code add(std::shared_ptr<sink> s, key_type key);

  // Unregisters `s`; once remove() returns, no further write reaches it.
  // Waits for a write in progress. Removing a sink that is not registered
  // is not an error.
  error_code remove(const std::shared_ptr<sink>& s);

  // Closes every registered sink, outside the lock, and refuses later
  // writes and adds.
  error_code close() override;

  // Sinks registered now. Does not wait for a write in progress.
  std::size_t size() const noexcept {
    return size_.load(std::memory_order_relaxed);
  }

 private:
  // A registered sink's address names it: the broadcaster holds the sink,
  // so no other can take that address while it is registered.
  static sink_id id_of(const sink& s) {
    return reinterpret_cast<std::uintptr_t>(&s);
  }

  void forget(sink_id id);  // under mutex_

  std::mutex mutex_;
  Index index_;  // the rest is under mutex_ too
  std::unordered_map<sink_id, std::shared_ptr<sink>> sinks_;
  std::vector<sink_id> candidates_;  // reused by every write
  bool closed_ = false;
  std::atomic<std::size_t> size_{0};
};

template <sink_index Index>
error_code indexed_broadcaster<Index>::write(const event_ptr& ev) {
  std::lock_guard lock(mutex_);
  if (closed_) return errc::sink_closed;

  // The candidates are collected before any is written, so that a sink
  // found closed can be forgotten without disturbing the index mid-search.
  candidates_.clear();
  index_.find_candidates(*ev, candidates_);
  for (sink_id id : candidates_) {
    auto found = sinks_.find(id);
    if (found->second->write(ev) == errc::sink_closed) forget(id);
  }
  return {};
}

template <sink_index Index>
error_code indexed_broadcaster<Index>::add(std::shared_ptr<sink> s,
                                           key_type key) {
  std::lock_guard lock(mutex_);
  if (closed_) return errc::sink_closed;
  sink_id id = id_of(*s);
  if (index_.insert(id, std::move(key))) {
    sinks_.emplace(id, std::move(s));
    size_.store(sinks_.size(), std::memory_order_relaxed);
  }
  return {};
}

template <sink_index Index>
error_code indexed_broadcaster<Index>::remove(const std::shared_ptr<sink>& s) {
  std::lock_guard lock(mutex_);
  if (sinks_.contains(id_of(*s))) forget(id_of(*s));
  return {};
}

template <sink_index Index>
void indexed_broadcaster<Index>::forget(sink_id id) {
  index_.erase(id);
  sinks_.erase(id);
  size_.store(sinks_.size(), std::memory_order_relaxed);
}

template <sink_index Index>
error_code indexed_broadcaster<Index>::close() {
  std::unordered_map<sink_id, std::shared_ptr<sink>> sinks;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return errc::sink_closed;
    closed_ = true;
    for (const auto& [id, s] : sinks_) index_.erase(id);
    sinks.swap(sinks_);
    size_.store(0, std::memory_order_relaxed);
  }
  // Closing a queue flushes it; that need not hold up anyone waiting for
  // the lock, and nothing can reach these sinks any more.
  for (auto& [id, s] : sinks) s->close();
  return {};
}

}  // namespace evd::core
