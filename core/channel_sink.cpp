#include "core/channel_sink.hpp"

#include <tuple>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/experimental/channel_error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace evd::core {

channel_sink::channel_sink(std::shared_ptr<delivery_channel> channel,
                           std::uint64_t token, ownership own)
    : channel_(std::move(channel)), token_(token), ownership_(own) {}

error_code channel_sink::write(const event_ptr& ev) {
  if (closed_.load(std::memory_order_acquire) || !channel_->is_open()) {
    return errc::sink_closed;
  }
  if (channel_->try_send(error_code{}, delivery{token_, ev, {}})) return {};
  return channel_->is_open() ? errc::channel_full : errc::sink_closed;
}

boost::asio::awaitable<error_code> channel_sink::async_write(event_ptr ev) {
  // The delivery is a named local, not a temporary in the co_await operand:
  // GCC 12 destroys such a temporary's shared_ptr once too often, freeing
  // the event while the channel still holds it.
  delivery d{token_, std::move(ev), {}};
  co_return co_await send(std::move(d));
}

boost::asio::awaitable<error_code> channel_sink::async_report_loss(
    loss_report lost) {
  delivery d{token_, nullptr, lost};
  co_return co_await send(std::move(d));
}

boost::asio::awaitable<error_code> channel_sink::send(delivery d) {
  if (closed_.load(std::memory_order_acquire)) co_return errc::sink_closed;
  auto token = boost::asio::as_tuple(boost::asio::use_awaitable);
  auto [ec] =
      co_await boost::asio::async_initiate<decltype(token), void(error_code)>(
          [this](auto handler, delivery d) {
            start_send(std::move(d), std::move(handler));
          },
          token, std::move(d));
  // The only way a send fails is the channel closing or being cancelled.
  if (ec) co_return errc::sink_closed;
  co_return error_code{};
}

error_code channel_sink::close() {
  std::lock_guard lock(send_mutex_);
  if (closed_.exchange(true, std::memory_order_acq_rel)) {
    return errc::sink_closed;
  }
  // Asio 1.81's close() completes waiting receives but leaves a send that
  // waits for room waiting forever; cancelling first fails it instead.
  // Under send_mutex_, no send can start between the two calls.
  if (ownership_ == ownership::owned) {
    channel_->cancel();
    channel_->close();
  }
  return {};
}

}  // namespace evd::core
