// Why a session ended. Sessions close through one path with one of these,
// and the metrics count events lost at a close under the same names.
#pragma once

#include <array>
#include <string_view>

namespace evd::daemon {

enum class close_reason {
  client_done,      // the client closed its side; its requests were answered
  read_error,       // the connection broke while reading
  write_error,      // the connection broke while writing
  write_timeout,    // the socket accepted no bytes for the write timeout
  line_too_long,    // the client sent a line over the limit
  shutdown,         // the daemon is stopping
  drain_timeout,    // the daemon stopped before this client drained
  forced_shutdown,  // a second stop signal cut the drain short
  internal_error,   // an exception escaped a handler: a bug
};

// Every reason in declaration order, so that a count per reason can be an
// array indexed by the enumerator.
inline constexpr std::array close_reasons{
    close_reason::client_done,    close_reason::read_error,
    close_reason::write_error,    close_reason::write_timeout,
    close_reason::line_too_long,  close_reason::shutdown,
    close_reason::drain_timeout,  close_reason::forced_shutdown,
    close_reason::internal_error,
};

// The reason's name in logs and metric labels, e.g. "write_timeout".
std::string_view to_string(close_reason r) noexcept;

}  // namespace evd::daemon
