#include "core/sink.hpp"

namespace evd::core {

boost::asio::awaitable<error_code> sink::async_write(event_ptr ev) {
  co_return write(ev);
}

boost::asio::awaitable<error_code> sink::async_report_loss(loss_report) {
  co_return error_code{};
}

}  // namespace evd::core
