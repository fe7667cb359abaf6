// evd: parse the command line and configuration file, configure logging,
// serve, map the outcome to an exit code.
#include <exception>
#include <filesystem>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "daemon/logging.hpp"
#include "daemon/options.hpp"
#include "daemon/server.hpp"

namespace {

// The default socket directory is ours to create; a path the user gave is
// not.
void ensure_default_socket_dir(const evd::daemon::config& cfg) {
  auto fallback = evd::proto::default_unix_address();
  for (const auto& a : cfg.listen) {
    if (a.kind == evd::proto::address::transport::unix_socket &&
        a.path == fallback.path) {
      std::filesystem::create_directories(
          std::filesystem::path(a.path).parent_path());
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  auto parsed = evd::daemon::parse_options(argc, argv);
  if (!parsed.cfg) return parsed.exit_code;
  evd::daemon::configure_logging(parsed.cfg->log_level, parsed.cfg->log_style);

  // SIGHUP parses the same command line again, re-reading the file.
  std::vector<std::string> args(argv + 1, argv + argc);
  auto reload = [args](std::string& error) {
    return evd::daemon::reparse_options(args, error);
  };
  try {
    ensure_default_socket_dir(*parsed.cfg);
    evd::daemon::server srv(*parsed.cfg, reload);
    srv.run();
  } catch (const std::exception& e) {
    spdlog::critical("evd failed what=\"{}\"", e.what());
    return 1;
  }
  return 0;
}
