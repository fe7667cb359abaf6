// The error codes a client can receive in {"op":"error","code":...}.
// Their spellings are part of the public protocol (docs/protocol.md).
#pragma once

#include <string_view>

namespace evd::proto {

enum class wire_error {
  parse_error,      // the line is not JSON
  invalid_request,  // JSON, but not a well-formed request
  unknown_op,       // an `op` evd does not know
  invalid_event,    // the event is not an object or not a valid CloudEvent
  invalid_filter,   // a filter that cannot be compiled
  duplicate_sub,    // a subscription name already used on the connection
  unknown_sub,      // unsub of a name that is not subscribed
  line_too_long,    // a line over the limit; the connection is then closed
  limit_exceeded,   // a server limit was hit
  shutting_down,    // the daemon is draining and takes no new work
  internal_error,   // a bug in evd; the connection is closed
};

std::string_view to_string(wire_error e) noexcept;

}  // namespace evd::proto
