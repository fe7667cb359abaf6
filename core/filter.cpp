#include "core/filter.hpp"

#include <utility>

namespace evd::core {

filter::filter(std::shared_ptr<sink> dst, matcher accepts)
    : destination_(std::move(dst)), accepts_(std::move(accepts)) {}

error_code filter::write(const event_ptr& ev) {
  if (closed_.load()) return errc::sink_closed;
  if (!accepts_(*ev)) return {};
  return destination_->write(ev);
}

boost::asio::awaitable<error_code> filter::async_write(event_ptr ev) {
  if (closed_.load()) co_return errc::sink_closed;
  if (!accepts_(*ev)) co_return error_code{};
  co_return co_await destination_->async_write(std::move(ev));
}

error_code filter::close() {
  closed_.store(true);
  return destination_->close();
}

}  // namespace evd::core
