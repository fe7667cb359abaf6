#include "proto/wire_error.hpp"

namespace evd::proto {

std::string_view to_string(wire_error e) noexcept {
  switch (e) {
    case wire_error::parse_error:
      return "parse_error";
    case wire_error::invalid_request:
      return "invalid_request";
    case wire_error::unknown_op:
      return "unknown_op";
    case wire_error::invalid_event:
      return "invalid_event";
    case wire_error::invalid_filter:
      return "invalid_filter";
    case wire_error::duplicate_sub:
      return "duplicate_sub";
    case wire_error::unknown_sub:
      return "unknown_sub";
    case wire_error::line_too_long:
      return "line_too_long";
    case wire_error::limit_exceeded:
      return "limit_exceeded";
    case wire_error::shutting_down:
      return "shutting_down";
    case wire_error::internal_error:
      return "internal_error";
  }
  return "internal_error";
}

}  // namespace evd::proto
