#include "core/channel_sink.hpp"

#include <tuple>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace evd::core {

channel_sink::channel_sink(std::shared_ptr<delivery_channel> channel,
                           std::uint64_t token, ownership own)
    : channel_(std::move(channel)), token_(token), ownership_(own) {}

error_code channel_sink::write(const event_ptr& ev) {
  if (closed_.load(std::memory_order_acquire) || !channel_->is_open()) {
    return errc::sink_closed;
  }
  if (channel_->try_send(error_code{}, delivery{token_, ev})) return {};
  return channel_->is_open() ? errc::channel_full : errc::sink_closed;
}

boost::asio::awaitable<error_code> channel_sink::async_write(event_ptr ev) {
  if (closed_.load(std::memory_order_acquire)) co_return errc::sink_closed;
  auto [ec] = co_await channel_->async_send(
      error_code{}, delivery{token_, std::move(ev)},
      boost::asio::as_tuple(boost::asio::use_awaitable));
  // The only way a send fails is the channel closing or being cancelled.
  if (ec) co_return errc::sink_closed;
  co_return error_code{};
}

error_code channel_sink::close() {
  if (closed_.exchange(true, std::memory_order_acq_rel)) {
    return errc::sink_closed;
  }
  if (ownership_ == ownership::owned) channel_->close();
  return {};
}

}  // namespace evd::core
