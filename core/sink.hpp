// The sink: where events are written. Every building block of the library
// (queue, channel, broadcaster, filter, retrying sink) is one, so they
// compose: a subscription is a filter in front of a queue in front of a
// channel.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "core/error.hpp"
#include "core/event.hpp"
#include "core/loss.hpp"

namespace evd::core {

class sink {
 public:
  virtual ~sink() = default;

  // Offers `ev` to the sink without blocking. Returns errc::sink_closed once
  // the sink is closed, and other codes for events it could not take now.
  // Safe to call from any thread.
  virtual error_code write(const event_ptr& ev) = 0;

  // Writes `ev`, waiting when the sink can apply backpressure (a full
  // channel, a retry backoff). The default completes at once with write().
  // A queue forwards through this call, one event at a time.
  virtual boost::asio::awaitable<error_code> async_write(event_ptr ev);

  // Tells the sink's reader that the events in `lost` were thrown away
  // upstream, in stream order: a queue calls it just before the first
  // event it forwards after the loss. The default completes at once and
  // forgets the report, for sinks whose reader has no use for it.
  virtual boost::asio::awaitable<error_code> async_report_loss(
      loss_report lost);

  // Closes the sink. Later writes fail with errc::sink_closed, and so does a
  // second close. What happens to events already taken is the sink's
  // contract.
  virtual error_code close() = 0;
};

}  // namespace evd::core
