// Fans each event out to every registered sink.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "core/sink.hpp"

namespace evd::core {

class broadcaster : public sink {
 public:
  // Writes `ev` to every sink, in the order they were added. A sink that
  // answers sink_closed is dropped; other errors are the sink's business
  // (a queue reports its own overflow). Returns sink_closed after close().
  //
  // Concurrent writes are serialized, so every sink sees the same order.
  // A sink's write must not block and must not call back into this
  // broadcaster: a queue in front of each slow consumer is what keeps a
  // publisher from waiting.
  error_code write(const event_ptr& ev) override;

  // Registers `s`; it receives every event written after add() returns.
  // Fails with sink_closed once the broadcaster is closed.
  error_code add(std::shared_ptr<sink> s);

  // Unregisters `s`; once remove() returns, no further write reaches it.
  // Removing a sink that is not registered is not an error.
  error_code remove(const std::shared_ptr<sink>& s);

  // Closes every registered sink and refuses later writes and adds.
  error_code close() override;

  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<sink>> sinks_;
  bool closed_ = false;
};

}  // namespace evd::core
