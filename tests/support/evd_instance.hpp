// The real evd binary, started for one test on a private Unix socket and
// an ephemeral loopback TCP port, and stopped (SIGTERM) at the end. Every
// instance is checked as it goes: a sanitizer report in its log, or an
// exit other than 0 after the SIGTERM it gets here, fails the test.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"

namespace evd::test {

// A fresh directory under $TMPDIR (or /tmp), removed with its contents on
// destruction.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

class evd_instance {
 public:
  // Starts evd with `extra_args` after the listen flags and waits until it
  // is ready; throws if it is not within a few seconds.
  explicit evd_instance(std::vector<std::string> extra_args = {});

  // Stops evd with SIGTERM if it still runs and expects exit code 0
  // (LeakSanitizer reports with another); whoever stopped it already
  // checked the code. Either way, fails the running test if the log holds
  // an AddressSanitizer, LeakSanitizer or UBSan report.
  ~evd_instance();
  evd_instance(const evd_instance&) = delete;
  evd_instance& operator=(const evd_instance&) = delete;

  // `unix:PATH` and `tcp:127.0.0.1:PORT` of this instance.
  std::string unix_address() const { return "unix:" + socket_path_; }
  std::string tcp_address() const;
  const std::string& socket_path() const noexcept { return socket_path_; }
  int tcp_port() const noexcept { return tcp_port_; }
  const temp_dir& dir() const noexcept { return dir_; }

  // Sends SIGTERM and returns the exit code (-1 if evd did not exit within
  // `timeout_ms`).
  int stop(int timeout_ms = 10000);

  std::string log() const { return read_file(log_path_); }
  child_process& process() { return *process_; }

 private:
  temp_dir dir_;
  std::string socket_path_;
  std::string log_path_;
  int tcp_port_ = 0;
  std::unique_ptr<child_process> process_;
};

// Where the built binaries are; set by the build.
std::string evd_binary();
std::string evctl_binary();

}  // namespace evd::test
