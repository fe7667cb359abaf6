// spdlog set up for evd: one logger named "evd" writing to stderr, where
// journald or the terminal picks the lines up, as text or as JSON.
#pragma once

#include <string>
#include <string_view>

#include <spdlog/common.h>

#include "daemon/config.hpp"

namespace evd::daemon {

// Makes the "evd" logger the default one. Call once, before any thread
// logs.
void configure_logging(spdlog::level::level_enum level, log_format format);

// Changes the level and line format of the running logger; safe while
// other threads log.
void apply_logging(spdlog::level::level_enum level, log_format format);

// A value a client chose (a subscription name), made safe for a key=value
// log line: returned as is when it is plain (letters, digits, and
// `-_.:/@`), else as a quoted JSON string, so that a name with spaces,
// quotes, line breaks or terminal escapes can neither forge a line nor
// break the line's fields.
std::string log_value(std::string_view text);

}  // namespace evd::daemon
