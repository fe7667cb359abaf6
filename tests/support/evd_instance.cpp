#include "tests/support/evd_instance.hpp"

#include <signal.h>
#include <stdlib.h>

#include <filesystem>
#include <regex>
#include <stdexcept>

#include <doctest/doctest.h>

namespace evd::test {

temp_dir::temp_dir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      std::string(base && *base ? base : "/tmp") + "/evd-test-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed for " + pattern);
  }
  path_ = pattern;
}

temp_dir::~temp_dir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string evd_binary() { return EVD_TEST_EVD_BINARY; }
std::string evctl_binary() { return EVD_TEST_EVCTL_BINARY; }

evd_instance::evd_instance(std::vector<std::string> extra_args)
    : socket_path_(dir_.path() + "/evd.sock"),
      log_path_(dir_.path() + "/evd.log") {
  std::vector<std::string> argv{
      evd_binary(), "--listen",        "unix:" + socket_path_,
      "--listen",   "tcp:127.0.0.1:0", "--log-level",
      "debug"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  process_ = std::make_unique<child_process>(argv, "", log_path_);

  bool ready = eventually(
      [&] {
        return log().find("evd ready") != std::string::npos ||
               !process_->running();
      },
      std::chrono::seconds(10));
  std::string text = log();
  if (!ready || text.find("evd ready") == std::string::npos) {
    throw std::runtime_error("evd did not start; log:\n" + text);
  }
  std::smatch port;
  static const std::regex listening("listening on tcp:127\\.0\\.0\\.1:(\\d+)");
  if (std::regex_search(text, port, listening)) {
    tcp_port_ = std::stoi(port[1]);
  }
}

std::string evd_instance::tcp_address() const {
  return "tcp:127.0.0.1:" + std::to_string(tcp_port_);
}

evd_instance::~evd_instance() {
  if (process_->running()) {
    // Long enough for the default drain timeout (5 s) and a leak check.
    int code = stop(20000);
    CHECK_MESSAGE(code == 0, "evd exited with ", code, "; log:\n", log());
  }
  std::string text = log();
  for (const char* report :
       {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:"}) {
    CHECK_MESSAGE(text.find(report) == std::string::npos,
                  "evd's log holds a sanitizer report:\n", text);
  }
}

int evd_instance::stop(int timeout_ms) {
  process_->signal(SIGTERM);
  auto code = process_->wait_for(std::chrono::milliseconds(timeout_ms));
  return code ? *code : -1;
}

}  // namespace evd::test
