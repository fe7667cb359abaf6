// Forwards only the events a matcher accepts.
#pragma once

#include <atomic>
#include <functional>
#include <memory>

#include "core/sink.hpp"

namespace evd::core {

// Decides whether an event passes. Called concurrently from publishers'
// threads, so it must be safe to call on a shared const state.
using matcher = std::function<bool(const event&)>;

class filter : public sink {
 public:
  filter(std::shared_ptr<sink> dst, matcher accepts);

  // Forwards `ev` when the matcher accepts it; a rejected event succeeds
  // without reaching the destination.
  error_code write(const event_ptr& ev) override;
  boost::asio::awaitable<error_code> async_write(event_ptr ev) override;

  // Closes the destination. Later writes fail with sink_closed, matching
  // or not.
  error_code close() override;

 private:
  std::shared_ptr<sink> destination_;
  matcher accepts_;
  std::atomic<bool> closed_{false};
};

}  // namespace evd::core
