// The command line and configuration file of evd, parsed with CLI11 into a
// config. Every flag has a key of the same name in the TOML file given by
// --config; a flag on the command line wins over the file.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "daemon/config.hpp"

namespace evd::daemon {

// EX_CONFIG from sysexits.h: the configuration file is unusable.
inline constexpr int exit_config_error = 78;

// Parses argv. Returns the config to run with, or an exit code when the
// command line asked for something else (--help, --version,
// --print-config) or was wrong; what to say has then been printed. A bad
// configuration file gives exit_config_error.
struct parse_result {
  std::optional<config> cfg;
  int exit_code = 0;
};

parse_result parse_options(int argc, char** argv);

// Parses `args` (argv without the program name) again, re-reading the
// configuration file, for a reload. Prints nothing; on failure returns
// nothing and sets `error` to what is wrong.
std::optional<config> reparse_options(const std::vector<std::string>& args,
                                      std::string& error);

// The names of config fields that differ between `a` and `b`, as their
// flags are spelled without dashes (e.g. "log-level").
std::vector<std::string> changed_keys(const config& a, const config& b);

}  // namespace evd::daemon
