// The listeners, spoken to as a client and an operator would meet them:
// socket files left behind, and running out of file descriptors.
#include <doctest/doctest.h>

#include <sys/resource.h>
#include <time.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/evd_instance.hpp"
#include "tests/support/line_client.hpp"

namespace evd::test {
namespace {

using namespace std::chrono_literals;

// CPU seconds a process has used, from /proc/PID/stat (utime + stime).
double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  // Fields after the command name, which is in parentheses.
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string skip;
  for (int i = 0; i < 11; ++i) fields >> skip;  // state .. cmajflt
  long utime = 0, stime = 0;
  fields >> utime >> stime;
  return static_cast<double>(utime + stime) / ::sysconf(_SC_CLK_TCK);
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos;
       at = text.find(what, at + 1))
    ++n;
  return n;
}

// Whether `binary` carries UBSan's vptr check, by the name of the
// runtime hook it calls.
bool has_ubsan_vptr_check(const std::string& binary) {
  return read_file(binary).find("__ubsan_handle_dynamic_type_cache_miss") !=
         std::string::npos;
}

}  // namespace

TEST_SUITE("listener") {
  TEST_CASE("a stale socket file is replaced and a live one is not stolen") {
    temp_dir dir;
    std::string path = dir.path() + "/evd.sock";
    {
      // A crashed evd leaves its socket file behind.
      child_process crashed({evd_binary(), "--listen", "unix:" + path}, "", "");
      REQUIRE(eventually([&] { return std::filesystem::exists(path); },
                         std::chrono::seconds(5)));
      crashed.signal(SIGKILL);
      crashed.wait_for(std::chrono::seconds(5));
    }
    REQUIRE(std::filesystem::exists(path));

    child_process live({evd_binary(), "--listen", "unix:" + path}, "",
                       dir.path() + "/live.log");
    REQUIRE(eventually(
        [&] {
          return read_file(dir.path() + "/live.log").find("evd ready") !=
                 std::string::npos;
        },
        std::chrono::seconds(5)));
    line_client client("unix:" + path);
    CHECK(client.request({{"op", "ping"}, {"id", 1}})["op"] == "pong");

    child_process thief({evd_binary(), "--listen", "unix:" + path}, "",
                        dir.path() + "/thief.log");
    CHECK(thief.wait_for(std::chrono::seconds(5)) == 1);
    CHECK(read_file(dir.path() + "/thief.log").find("another process") !=
          std::string::npos);
    CHECK(client.request({{"op", "ping"}, {"id", 2}})["op"] == "pong");
    live.signal(SIGTERM);
    CHECK(live.wait_for(std::chrono::seconds(5)) == 0);
    CHECK_FALSE(std::filesystem::exists(path));
  }

  TEST_CASE("out of file descriptors evd backs off instead of spinning") {
    // UBSan's vptr check proves a vtable readable by writing it into a
    // pipe; with every descriptor taken the pipe fails, the check reports
    // each virtual call as a bad vptr and aborts evd. An evd built with
    // that check (EVD_SANITIZE, or sanitizer flags from the environment)
    // cannot be tested at its descriptor limit; a normal build, as in
    // CI's first stage, is.
    if (has_ubsan_vptr_check(evd_binary())) {
      MESSAGE("not run: evd is built with UBSan's vptr check");
      return;
    }
    temp_dir dir;
    std::string path = dir.path() + "/evd.sock";
    std::string log_path = dir.path() + "/evd.log";
    // prlimit(1), from util-linux, sets the descriptor limit for evd alone.
    child_process evd({"/usr/bin/prlimit", "--nofile=40:40", evd_binary(),
                       "--listen", "unix:" + path, "--threads", "1"},
                      "", log_path);
    INFO("evd's log: ", read_file(log_path));
    REQUIRE(eventually(
        [&] {
          return read_file(log_path).find("evd ready") != std::string::npos;
        },
        5s));

    // More clients than evd has descriptors for.
    std::vector<std::unique_ptr<line_client>> clients;
    for (int i = 0; i < 60; ++i) {
      clients.push_back(std::make_unique<line_client>("unix:" + path));
    }
    REQUIRE(eventually(
        [&] {
          return read_file(log_path).find("accept failed") != std::string::npos;
        },
        5s));
    double before = cpu_seconds(evd.pid());
    std::this_thread::sleep_for(2s);
    double spent = cpu_seconds(evd.pid()) - before;
    CHECK(spent < 0.5);
    // A warning when the failures start, then about one a second.
    CHECK(count_of(read_file(log_path), "accept failed") <= 6);

    // Once clients leave, the ones still waiting are served.
    clients.erase(clients.begin(), clients.begin() + 40);
    for (auto& client : clients) {
      CHECK(client->request({{"op", "ping"}, {"id", 1}})["op"] == "pong");
    }
    clients.clear();
    evd.signal(SIGTERM);
    CHECK(evd.wait_for(10s) == 0);
  }
}

}  // namespace evd::test
