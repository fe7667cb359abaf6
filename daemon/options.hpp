// The command line of evd, parsed with CLI11 into a config.
#pragma once

#include <optional>

#include "daemon/config.hpp"

namespace evd::daemon {

// Parses argv. Returns the config to run with, or an exit code when the
// command line asked for something else (--help, --version) or was wrong;
// CLI11 has then printed what to say.
struct parse_result {
  std::optional<config> cfg;
  int exit_code = 0;
};

parse_result parse_options(int argc, char** argv);

}  // namespace evd::daemon
