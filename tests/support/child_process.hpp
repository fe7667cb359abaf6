// Runs another program for a test: the real evd or evctl, with its output
// in files, stopped by signal, and killed if a test forgets it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace evd::test {

class child_process {
 public:
  // Starts `argv[0]` with `argv`; stdout and stderr go to the given files
  // and stdin comes from `in_path` (empty = /dev/null). `env` entries
  // (NAME=VALUE) are added to ours, replacing ours of the same name.
  child_process(std::vector<std::string> argv, const std::string& out_path,
                const std::string& err_path, std::vector<std::string> env = {},
                const std::string& in_path = "");

  // Kills the process with SIGKILL if it is still running.
  ~child_process();

  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  void signal(int sig);

  // Waits up to `timeout` for the process to exit; returns its exit code
  // (128 + signal number when killed by a signal), or nothing on timeout.
  std::optional<int> wait_for(std::chrono::milliseconds timeout);

  bool running();
  pid_t pid() const noexcept { return pid_; }

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

// Reads a whole file; empty if it does not exist.
std::string read_file(const std::string& path);

// Polls `predicate` every few milliseconds until it holds or `timeout`
// passes; returns whether it held.
template <typename Predicate>
bool eventually(Predicate predicate, std::chrono::milliseconds timeout);

}  // namespace evd::test

#include "tests/support/child_process_inl.hpp"
