// Retries writes to a sink that fails now and then (a network peer), paced
// by a retry strategy.
#pragma once

#include <atomic>
#include <memory>

#include "core/retry_strategy.hpp"
#include "core/sink.hpp"

namespace evd::core {

class retrying_sink : public sink {
 public:
  retrying_sink(std::shared_ptr<sink> dst,
                std::shared_ptr<retry_strategy> strategy);

  // One attempt, never waiting: fails with backing_off while the strategy
  // holds writes back, else with whatever the destination says.
  error_code write(const event_ptr& ev) override;

  // Writes `ev`, waiting on a timer of the calling coroutine's executor
  // whenever the strategy says so, until the destination takes it, the
  // strategy drops it (success is returned), or a sink is closed.
  // Put a queue in front so the waiting never reaches a publisher.
  boost::asio::awaitable<error_code> async_write(event_ptr ev) override;

  // Closes the destination; a write waiting out a backoff gives up with
  // sink_closed when its timer fires.
  error_code close() override;

 private:
  std::shared_ptr<sink> destination_;
  std::shared_ptr<retry_strategy> strategy_;
  std::atomic<bool> closed_{false};
};

}  // namespace evd::core
