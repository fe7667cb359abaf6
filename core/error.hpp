// Error codes of the event-distribution library. Every failure a sink can
// report is one of these values, so callers branch on codes, not messages.
#pragma once

#include <boost/system/error_code.hpp>

namespace evd::core {

using error_code = boost::system::error_code;

enum class errc {
  // The sink was closed; it will never accept another event.
  sink_closed = 1,
  // A bounded queue is at its event or byte limit; the event was refused.
  queue_full,
  // A channel's buffer is full; a synchronous write cannot wait for room.
  channel_full,
  // A retrying sink is backing off and refuses to try right now.
  backing_off,
};

const boost::system::error_category& core_category() noexcept;

inline error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), core_category()};
}

}  // namespace evd::core

template <>
struct boost::system::is_error_code_enum<evd::core::errc> : std::true_type {};
