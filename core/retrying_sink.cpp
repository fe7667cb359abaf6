#include "core/retrying_sink.hpp"

#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace evd::core {

retrying_sink::retrying_sink(std::shared_ptr<sink> dst,
                             std::shared_ptr<retry_strategy> strategy)
    : destination_(std::move(dst)), strategy_(std::move(strategy)) {}

error_code retrying_sink::write(const event_ptr& ev) {
  if (closed_.load()) return errc::sink_closed;
  if (strategy_->proceed(*ev) > retry_clock::duration::zero()) {
    return errc::backing_off;
  }
  error_code ec = destination_->write(ev);
  if (!ec) {
    strategy_->success(*ev);
  } else if (ec != errc::sink_closed) {
    strategy_->failure(*ev, ec);
  }
  return ec;
}

boost::asio::awaitable<error_code> retrying_sink::async_write(event_ptr ev) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  for (;;) {
    if (closed_.load()) co_return errc::sink_closed;

    auto wait = strategy_->proceed(*ev);
    if (wait > retry_clock::duration::zero()) {
      timer.expires_after(wait);
      co_await timer.async_wait(
          boost::asio::as_tuple(boost::asio::use_awaitable));
      // Try now rather than asking again: a jittered strategy answers each
      // proceed() with a fresh wait, so asking again could wait forever.
      if (closed_.load()) co_return errc::sink_closed;
    }

    error_code ec = co_await destination_->async_write(ev);
    if (!ec) {
      strategy_->success(*ev);
      co_return ec;
    }
    if (ec == errc::sink_closed) co_return ec;
    if (strategy_->failure(*ev, ec)) co_return error_code{};
  }
}

error_code retrying_sink::close() {
  if (closed_.exchange(true)) return errc::sink_closed;
  return destination_->close();
}

}  // namespace evd::core
