// The end of a chain: hands events to a consumer through an Asio channel.
// In the daemon the consumer is a connection's writer, which serves all of
// the connection's subscriptions from one channel, telling them apart by
// the token each sink stamps on its deliveries.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/experimental/channel_error.hpp>
#include <boost/asio/post.hpp>

#include <boost/asio/experimental/concurrent_channel.hpp>

#include "core/sink.hpp"

namespace evd::core {

// One event on its way to a consumer, with the token of the sink it came
// through; or, with no event, a report of events lost upstream.
struct delivery {
  std::uint64_t token = 0;
  event_ptr event;
  loss_report lost;
};

using delivery_channel =
    boost::asio::experimental::concurrent_channel<void(error_code, delivery)>;

class channel_sink : public sink {
 public:
  // Whether closing the sink closes the channel. A channel shared by many
  // sinks outlives each of them and is closed by its consumer, which must
  // cancel() it first: Asio 1.81's close() leaves a send that waits for room
  // waiting forever.
  enum class ownership { owned, shared };

  channel_sink(std::shared_ptr<delivery_channel> channel, std::uint64_t token,
               ownership own = ownership::owned);

  // Hands `ev` over if the channel has room, else fails with channel_full.
  error_code write(const event_ptr& ev) override;

  // Waits for room in the channel: this is where a slow consumer's
  // backpressure reaches the queue in front of the sink.
  boost::asio::awaitable<error_code> async_write(event_ptr ev) override;

  // Sends the report as a delivery without an event, waiting for room like
  // async_write, so that it reaches the consumer in stream order.
  boost::asio::awaitable<error_code> async_report_loss(
      loss_report lost) override;

  // Refuses later writes; closes the channel when the sink owns it, which
  // discards deliveries the consumer has not received and fails a waiting
  // async_write (with sink_closed) and receive.
  error_code close() override;

  std::uint64_t token() const noexcept { return token_; }
  const std::shared_ptr<delivery_channel>& channel() const noexcept {
    return channel_;
  }

 private:
  // Sends `d`, waiting for room; sink_closed if the channel closed.
  boost::asio::awaitable<error_code> send(delivery d);

  // Starts the send under send_mutex_, so that close() either sees it
  // waiting and cancels it or it sees the sink closed. The handler is
  // posted so that the caller never resumes under the lock.
  template <typename Handler>
  void start_send(delivery d, Handler handler) {
    auto done = [h = std::move(handler)](error_code ec) mutable {
      auto ex = boost::asio::get_associated_executor(h);
      boost::asio::post(ex,
                        [h = std::move(h), ec]() mutable { std::move(h)(ec); });
    };
    std::lock_guard lock(send_mutex_);
    if (closed_.load(std::memory_order_acquire)) {
      done(boost::asio::experimental::error::channel_closed);
      return;
    }
    channel_->async_send(error_code{}, std::move(d), std::move(done));
  }

  std::shared_ptr<delivery_channel> channel_;
  std::uint64_t token_;
  ownership ownership_;
  std::mutex send_mutex_;
  std::atomic<bool> closed_{false};
};

}  // namespace evd::core
