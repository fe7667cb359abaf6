#include "core/sink.hpp"

namespace evd::core {

boost::asio::awaitable<error_code> sink::async_write(event_ptr ev) {
  co_return write(ev);
}

}  // namespace evd::core
