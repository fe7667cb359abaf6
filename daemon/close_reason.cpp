#include "daemon/close_reason.hpp"

namespace evd::daemon {

std::string_view to_string(close_reason r) noexcept {
  switch (r) {
    case close_reason::client_done:
      return "client_done";
    case close_reason::read_error:
      return "read_error";
    case close_reason::write_error:
      return "write_error";
    case close_reason::write_timeout:
      return "write_timeout";
    case close_reason::line_too_long:
      return "line_too_long";
    case close_reason::shutdown:
      return "shutdown";
    case close_reason::drain_timeout:
      return "drain_timeout";
    case close_reason::forced_shutdown:
      return "forced_shutdown";
    case close_reason::internal_error:
      return "internal_error";
  }
  return "internal_error";
}

}  // namespace evd::daemon
