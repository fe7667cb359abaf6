// evd: parse the command line, configure logging, serve, map the outcome
// to an exit code.
#include <exception>
#include <filesystem>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "daemon/options.hpp"
#include "daemon/server.hpp"

namespace {

// Logs go to stderr, where journald or the terminal picks them up.
void configure_logging(spdlog::level::level_enum level) {
  auto logger = spdlog::stderr_logger_mt("evd");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l %v");
  logger->set_level(level);
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(logger);
}

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
  configure_logging(parsed.cfg->log_level);

  try {
    ensure_default_socket_dir(*parsed.cfg);
    evd::daemon::server srv(*parsed.cfg);
    srv.run();
  } catch (const std::exception& e) {
    spdlog::critical("evd failed what=\"{}\"", e.what());
    return 1;
  }
  return 0;
}
