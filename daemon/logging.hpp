// spdlog set up for evd: one logger named "evd" writing to stderr, where
// journald or the terminal picks the lines up, as text or as JSON.
#pragma once

#include <spdlog/common.h>

#include "daemon/config.hpp"

namespace evd::daemon {

// Makes the "evd" logger the default one. Call once, before any thread
// logs.
void configure_logging(spdlog::level::level_enum level, log_format format);

// Changes the level and line format of the running logger; safe while
// other threads log.
void apply_logging(spdlog::level::level_enum level, log_format format);

}  // namespace evd::daemon
