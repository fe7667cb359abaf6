#include "tests/support/child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <thread>

extern char** environ;

namespace evd::test {
namespace {

void redirect(posix_spawn_file_actions_t& actions, int fd,
              const std::string& path) {
  const char* target = path.empty() ? "/dev/null" : path.c_str();
  posix_spawn_file_actions_addopen(&actions, fd, target,
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
}

}  // namespace

child_process::child_process(std::vector<std::string> argv,
                             const std::string& out_path,
                             const std::string& err_path,
                             std::vector<std::string> env,
                             const std::string& in_path) {
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);

  // A name given twice would leave the choice to the child's getenv,
  // which takes the first; the caller's entry must win.
  auto overridden = [&](std::string_view entry) {
    auto name = entry.substr(0, entry.find('=') + 1);
    return std::any_of(env.begin(), env.end(), [&](const std::string& e) {
      return e.starts_with(name);
    });
  };
  // A runner started by a service manager would hand its own notify
  // socket, watchdog and passed sockets to every child; a test names
  // those itself when it means to.
  auto from_service_manager = [](std::string_view entry) {
    for (std::string_view name :
         {"NOTIFY_SOCKET=", "WATCHDOG_USEC=", "WATCHDOG_PID=", "LISTEN_FDS=",
          "LISTEN_PID=", "LISTEN_FDNAMES="}) {
      if (entry.starts_with(name)) return true;
    }
    return false;
  };
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    if (!overridden(*e) && !from_service_manager(*e)) {
      env_strings.emplace_back(*e);
    }
  }
  for (auto& e : env) env_strings.push_back(std::move(e));
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(
      &actions, 0, in_path.empty() ? "/dev/null" : in_path.c_str(), O_RDONLY,
      0);
  redirect(actions, 1, out_path);
  redirect(actions, 2, err_path);
  // Descriptors the test runner left open would count against the
  // child's limits and change what a test of those limits sees.
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  int rc =
      posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    throw std::runtime_error("cannot start " + argv[0] + ": " +
                             std::to_string(rc));
  }
}

child_process::~child_process() {
  if (running()) {
    ::kill(pid_, SIGKILL);
    wait_for(std::chrono::seconds(5));
  }
}

void child_process::signal(int sig) {
  if (!exit_code_) ::kill(pid_, sig);
}

bool child_process::running() {
  return !wait_for(std::chrono::milliseconds(0)).has_value();
}

std::optional<int> child_process::wait_for(std::chrono::milliseconds timeout) {
  if (exit_code_) return exit_code_;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      exit_code_ =
          WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return exit_code_;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream all;
  all << in.rdbuf();
  return all.str();
}

}  // namespace evd::test
