// evd as a system service: systemd's notify protocol and socket
// activation, the configuration file and reload, and the operator's
// endpoints (/metrics, stats, JSON logs), all against the real binary.
#include <doctest/doctest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "tests/support/evd_instance.hpp"
#include "tests/support/line_client.hpp"

namespace evd::test {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

json sub(int id, const std::string& name) {
  return {{"op", "sub"}, {"id", id}, {"sub", name}};
}

json pub(int id) {
  return {{"op", "pub"},
          {"id", id},
          {"event",
           {{"specversion", "1.0"},
            {"id", std::to_string(id)},
            {"source", "/test"},
            {"type", "t"}}}};
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

// A datagram socket standing in for systemd's $NOTIFY_SOCKET.
class notify_socket {
 public:
  explicit notify_socket(std::string path) : path_(std::move(path)) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    path_.copy(addr.sun_path, sizeof addr.sun_path - 1);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  }
  ~notify_socket() { ::close(fd_); }

  // The next datagram, or empty after `timeout`.
  std::string receive(std::chrono::milliseconds timeout = 5s) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return {};
    char buf[4096];
    auto n = ::recv(fd_, buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, n) : std::string();
  }

  // Receives until a datagram starts with `prefix`; returns every one
  // seen, that one last, or all of them if it never came.
  std::vector<std::string> until(const std::string& prefix) {
    std::vector<std::string> seen;
    for (;;) {
      auto d = receive();
      if (d.empty()) return seen;
      seen.push_back(d);
      if (d.starts_with(prefix)) return seen;
    }
  }

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
};

int free_tcp_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(
      io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

// GET `path` from 127.0.0.1:`port`; the whole response, head and body.
std::string http_get(int port, const std::string& path) {
  namespace asio = boost::asio;
  asio::io_context io;
  asio::ip::tcp::socket s(io);
  s.connect(
      {asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
  std::string req = "GET " + path + " HTTP/1.1\r\nHost: evd\r\n\r\n";
  asio::write(s, asio::buffer(req));
  std::string out;
  boost::system::error_code ec;
  asio::read(s, asio::dynamic_buffer(out), ec);
  return out;
}

// The first sample line of a Prometheus text exposition that no HELP and
// TYPE lines declared before it, or empty when there is none. A
// histogram's samples carry its name with _bucket, _sum or _count.
std::string first_undeclared(const std::string& exposition) {
  std::set<std::string> helped;
  std::map<std::string, std::string> types;
  std::istringstream lines(exposition);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string hash, keyword, name, type;
    if (line.starts_with("# HELP ")) {
      words >> hash >> keyword >> name;
      helped.insert(name);
      continue;
    }
    if (line.starts_with("# TYPE ")) {
      words >> hash >> keyword >> name >> type;
      if (!helped.contains(name)) return line;
      types[name] = type;
      continue;
    }
    if (line.empty()) continue;
    std::string sample = line.substr(0, line.find_first_of("{ "));
    if (types.contains(sample)) continue;
    bool part_of_histogram = false;
    for (std::string suffix : {"_bucket", "_sum", "_count"}) {
      if (!sample.ends_with(suffix)) continue;
      auto family = types.find(sample.substr(0, sample.size() - suffix.size()));
      part_of_histogram =
          family != types.end() && family->second == "histogram";
    }
    if (!part_of_histogram) return line;
  }
  return {};
}

int wait_exit(child_process& p) {
  auto code = p.wait_for(10s);
  return code ? *code : -1;
}

}  // namespace

TEST_SUITE("service") {
  TEST_CASE(
      "systemd hears READY then STATUS then STOPPING and watchdog pings") {
    temp_dir dir;
    notify_socket notify(dir.path() + "/notify");
    child_process evd(
        {evd_binary(), "--listen", "unix:" + dir.path() + "/s", "--listen",
         "tcp:127.0.0.1:0"},
        "", dir.path() + "/log",
        {"NOTIFY_SOCKET=" + notify.path(), "WATCHDOG_USEC=200000"});
    auto first = notify.until("READY=1");
    REQUIRE(!first.empty());
    CHECK(first.back() == "READY=1");
    auto status = notify.until("STATUS=");
    REQUIRE(!status.empty());
    CHECK(status.back().find("connections=0") != std::string::npos);
    CHECK(status.back().find("subscriptions=0") != std::string::npos);
    // Pings at half of WATCHDOG_USEC: several within half a second.
    CHECK(notify.until("WATCHDOG=1").back() == "WATCHDOG=1");

    evd.signal(SIGTERM);
    auto rest = notify.until("STOPPING=1");
    REQUIRE(!rest.empty());
    CHECK(rest.back() == "STOPPING=1");
    CHECK(wait_exit(evd) == 0);
  }

  TEST_CASE("socket activation serves the sockets systemd passes") {
    temp_dir dir;
    std::string sock = dir.path() + "/evd.sock";
    int port = free_tcp_port();
    // The --listen path cannot be bound: evd must use what it was given.
    child_process activate(
        {"/usr/bin/systemd-socket-activate", "-l", sock, "-l",
         "127.0.0.1:" + std::to_string(port), "--fdname=evd:evd", evd_binary(),
         "--listen", "unix:/nonexistent/evd.sock"},
        "", dir.path() + "/log");
    auto logged = [&](const std::string& what) {
      return eventually(
          [&] {
            return read_file(dir.path() + "/log").find(what) !=
                   std::string::npos;
          },
          10s);
    };
    // systemd-socket-activate starts evd at the first connection, as
    // systemd would.
    REQUIRE(logged(" as 4."));
    line_client watcher("tcp:127.0.0.1:" + std::to_string(port));
    REQUIRE(logged("evd ready"));
    line_client publisher("unix:" + sock);
    CHECK(watcher.request(sub(1, "w"))["op"] == "ok");
    CHECK(publisher.request(pub(1))["seq"] == 1);
    auto ev = watcher.read_json();
    CHECK(ev["op"] == "event");
    CHECK(ev["seq"] == 1);

    activate.signal(SIGTERM);
    CHECK(wait_exit(activate) == 0);
  }

  TEST_CASE("a config file sets options and flags override it") {
    temp_dir dir;
    std::string file = dir.path() + "/evd.toml";
    write_file(file, "max-subs-per-conn = 1\nlog-format = \"json\"\n");

    child_process print({evd_binary(), "--config", file, "--max-subs-per-conn",
                         "2", "--print-config"},
                        dir.path() + "/out", "");
    CHECK(wait_exit(print) == 0);
    std::string shown = read_file(dir.path() + "/out");
    CHECK(shown.find("max-subs-per-conn=2") != std::string::npos);
    CHECK(shown.find("log-format=\"json\"") != std::string::npos);

    evd_instance evd({"--config", file, "--max-subs-per-conn", "2"});
    line_client client(evd.unix_address());
    CHECK(client.request(sub(1, "a"))["op"] == "ok");
    CHECK(client.request(sub(2, "b"))["op"] == "ok");
    CHECK(client.request(sub(3, "c"))["code"] == "limit_exceeded");
    CHECK(evd.stop() == 0);
  }

  TEST_CASE("an invalid config file at start exits with EX_CONFIG") {
    temp_dir dir;
    std::string file = dir.path() + "/evd.toml";
    auto run = [&](std::vector<std::string> args) {
      args.insert(args.begin(), evd_binary());
      child_process p(args, "", dir.path() + "/err");
      return wait_exit(p);
    };
    SUBCASE("unknown key") {
      write_file(file, "threads = 1\nno-such-key = 1\n");
      CHECK(run({"--config", file}) == 78);
      CHECK(read_file(dir.path() + "/err")
                .starts_with("evd: invalid configuration file: unknown key "
                             "'no-such-key'\n"));
    }
    SUBCASE("unknown table") {
      write_file(file, "[limits]\nthreads = 1\n");
      CHECK(run({"--config", file}) == 78);
      CHECK(read_file(dir.path() + "/err").find("unknown table [limits]") !=
            std::string::npos);
    }
    SUBCASE("bad value") {
      write_file(file, "log-level = \"loud\"\n");
      CHECK(run({"--config", file}) == 78);
    }
    SUBCASE("missing file") {
      CHECK(run({"--config", dir.path() + "/absent.toml"}) == 78);
    }
    SUBCASE("a bad flag is not a config error") {
      write_file(file, "threads = 1\n");
      CHECK(run({"--config", file, "--log-level", "loud"}) != 78);
    }
  }

  TEST_CASE("a number out of range is refused with the range it must be in") {
    temp_dir dir;
    auto run = [&](std::vector<std::string> args, std::string* err) {
      args.insert(args.begin(), evd_binary());
      child_process p(args, dir.path() + "/out", dir.path() + "/err");
      int code = wait_exit(p);
      *err = read_file(dir.path() + "/err");
      return code;
    };
    std::string value;
    SUBCASE("zero") { value = "0"; }
    SUBCASE("negative") { value = "-1"; }
    SUBCASE("too large for 64 bits") { value = "99999999999999999999999"; }
    SUBCASE("hexadecimal") { value = "0x10"; }
    SUBCASE("fractional") { value = "1.5"; }
    std::string said =
        "--max-event-bytes: must be a whole number from 1 to "
        "18446744073709551615, not '" +
        value + "'\n";
    std::string err;

    // 105 is CLI11's code for a value its checks refuse.
    CHECK(run({"--max-event-bytes", value, "--print-config"}, &err) == 105);
    CHECK(err.starts_with(said));
    std::string file = dir.path() + "/evd.toml";
    write_file(file, "max-event-bytes = " + value + "\n");
    CHECK(run({"--config", file, "--print-config"}, &err) == 78);
    CHECK(err == "evd: invalid configuration file: " + said);
  }

  TEST_CASE("evd --help names evd in its usage line") {
    temp_dir dir;
    child_process help({evd_binary(), "--help"}, dir.path() + "/out", "");
    CHECK(wait_exit(help) == 0);
    CHECK(read_file(dir.path() + "/out").find("\nUsage: evd [OPTIONS]\n") !=
          std::string::npos);
  }

  TEST_CASE("a number with a leading zero is read as decimal") {
    temp_dir dir;
    child_process print(
        {evd_binary(), "--max-event-bytes", "010", "--print-config"},
        dir.path() + "/out", "");
    CHECK(wait_exit(print) == 0);
    CHECK(read_file(dir.path() + "/out").find("\nmax-event-bytes=10\n") !=
          std::string::npos);
  }

  TEST_CASE("SIGHUP applies what can change live and keeps the rest") {
    temp_dir dir;
    std::string file = dir.path() + "/evd.toml";
    write_file(file,
               "max-subs-per-conn = 1\nthreads = 2\nsocket-mode = \"0600\"\n");
    evd_instance evd({"--config", file});
    struct stat st {};
    REQUIRE(::stat(evd.socket_path().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    // Connected before the reload, subscribing after it.
    line_client early(evd.unix_address());
    CHECK(early.request(sub(1, "a"))["op"] == "ok");
    CHECK(early.request(sub(2, "b"))["code"] == "limit_exceeded");

    write_file(file,
               "max-subs-per-conn = 2\nthreads = 3\nsocket-mode = \"0640\"\n");
    evd.process().signal(SIGHUP);
    REQUIRE(eventually(
        [&] {
          return evd.log().find("configuration reloaded") != std::string::npos;
        },
        5s));
    CHECK(evd.log().find("changed=socket-mode,max-subs-per-conn "
                         "needs_restart=threads") != std::string::npos);
    REQUIRE(::stat(evd.socket_path().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0640);
    CHECK(early.request(sub(3, "b"))["op"] == "ok");
    {
      line_client client(evd.unix_address());
      CHECK(client.request(sub(1, "a"))["op"] == "ok");
      CHECK(client.request(sub(2, "b"))["op"] == "ok");
    }

    write_file(file, "max-subs-per-conn = \"many\"\n");
    evd.process().signal(SIGHUP);
    REQUIRE(eventually(
        [&] { return evd.log().find("reload failed") != std::string::npos; },
        5s));
    line_client client(evd.unix_address());
    CHECK(client.request(sub(1, "a"))["op"] == "ok");
    CHECK(client.request(sub(2, "b"))["op"] == "ok");
    CHECK(client.request(sub(3, "c"))["code"] == "limit_exceeded");
    CHECK(evd.stop() == 0);
  }

  TEST_CASE("metrics healthz and readyz are served over loopback HTTP") {
    evd_instance evd({"--http-listen", "127.0.0.1:0"});
    std::smatch m;
    std::string log = evd.log();
    static const std::regex http("http listening on 127\\.0\\.0\\.1:(\\d+)");
    REQUIRE(std::regex_search(log, m, http));
    int port = std::stoi(m[1]);

    line_client watcher(evd.unix_address());
    line_client publisher(evd.tcp_address());
    CHECK(watcher.request(sub(1, "w"))["op"] == "ok");
    CHECK(publisher.request(pub(1))["seq"] == 1);
    CHECK(watcher.read_json()["op"] == "event");

    auto metrics = http_get(port, "/metrics");
    CHECK(metrics.starts_with("HTTP/1.1 200"));
    auto body = metrics.find("\r\n\r\n");
    REQUIRE(body != std::string::npos);
    CHECK(first_undeclared(metrics.substr(body + 4)) == "");
    CHECK(metrics.find("\nevd_events_published_total 1\n") !=
          std::string::npos);
    CHECK(metrics.find("\nevd_subscriptions 1\n") != std::string::npos);
    CHECK(metrics.find("\nevd_connections 2\n") != std::string::npos);
    CHECK(metrics.find("\nevd_events_dropped_total{reason=\"write_timeout\"} "
                       "0\n") != std::string::npos);
    CHECK(eventually(
        [&] {
          return http_get(port, "/metrics")
                     .find("\nevd_publish_to_deliver_seconds_count 1\n") !=
                 std::string::npos;
        },
        2s));
    CHECK(http_get(port, "/healthz").starts_with("HTTP/1.1 200"));
    CHECK(http_get(port, "/readyz").starts_with("HTTP/1.1 200"));
    CHECK(http_get(port, "/nothing").starts_with("HTTP/1.1 404"));
    CHECK(evd.stop() == 0);
  }

  TEST_CASE("readyz turns 503 while evd drains") {
    evd_instance evd(
        {"--http-listen", "127.0.0.1:0", "--drain-timeout-ms", "3000"});
    std::smatch m;
    std::string log = evd.log();
    static const std::regex http("http listening on 127\\.0\\.0\\.1:(\\d+)");
    REQUIRE(std::regex_search(log, m, http));
    int port = std::stoi(m[1]);

    // A subscriber that never reads holds the drain open: what evd owes
    // it is far more than the socket buffers take.
    line_client stuck(evd.unix_address());
    CHECK(stuck.request(sub(1, "s"))["op"] == "ok");
    line_client publisher(evd.tcp_address());
    json big = pub(1);
    big["event"]["data"] = std::string(16 * 1024, 'x');
    for (int i = 0; i < 1000; ++i) publisher.send(big);
    CHECK(publisher.read_json()["op"] == "ok");

    evd.process().signal(SIGTERM);
    REQUIRE(eventually(
        [&] { return evd.log().find("shutting down") != std::string::npos; },
        5s));
    CHECK(http_get(port, "/readyz").starts_with("HTTP/1.1 503"));
    CHECK(http_get(port, "/healthz").starts_with("HTTP/1.1 200"));
    CHECK(wait_exit(evd.process()) == 0);
  }

  TEST_CASE("a value evd could not start with is refused wherever it is read") {
    struct bad_value {
      std::string key, value, reason;
    } bad;
    SUBCASE("a non-loopback http-listen") {
      bad = {"http-listen", "0.0.0.0:9999", "is not a loopback address"};
    }
    SUBCASE("a socket-user the system does not know") {
      bad = {"socket-user", "nosuchuser", "no user named 'nosuchuser'"};
    }
    SUBCASE("a socket-group the system does not know") {
      bad = {"socket-group", "nosuchgroup", "no group named 'nosuchgroup'"};
    }
    temp_dir dir;
    std::string file = dir.path() + "/evd.toml";
    std::string bad_line = bad.key + " = \"" + bad.value + "\"\n";
    // Were the value let through, evd would bind these, not the defaults.
    auto run = [&](std::vector<std::string> args) {
      args.insert(args.begin(),
                  {evd_binary(), "--listen", "unix:" + dir.path() + "/s",
                   "--listen", "tcp:127.0.0.1:0"});
      child_process p(args, "", dir.path() + "/err");
      int code = wait_exit(p);
      CHECK(read_file(dir.path() + "/err").find(bad.reason) !=
            std::string::npos);
      return code;
    };

    // 105 is CLI11's code for a value its checks refuse.
    CHECK(run({"--" + bad.key, bad.value}) == 105);
    write_file(file, bad_line);
    CHECK(run({"--config", file}) == 78);
    CHECK(run({"--config", file, "--print-config"}) == 78);

    write_file(file, "max-subs-per-conn = 1\n");
    evd_instance evd({"--config", file});
    write_file(file, "max-subs-per-conn = 2\n" + bad_line);
    evd.process().signal(SIGHUP);
    REQUIRE(eventually(
        [&] { return evd.log().find("reload failed") != std::string::npos; },
        5s));
    CHECK(evd.log().find("configuration unchanged") != std::string::npos);
    CHECK(evd.log().find(bad.reason) != std::string::npos);
    CHECK(evd.log().find("configuration reloaded") == std::string::npos);
    line_client client(evd.unix_address());
    CHECK(client.request(sub(1, "a"))["op"] == "ok");
    CHECK(client.request(sub(2, "b"))["code"] == "limit_exceeded");
    CHECK(evd.stop() == 0);
  }

  TEST_CASE("stats answers on the protocol and evctl stats prints it") {
    evd_instance evd;
    line_client client(evd.unix_address());
    CHECK(client.request(sub(1, "w"))["op"] == "ok");
    CHECK(client.request(pub(2))["seq"] == 1);
    CHECK(client.read_json()["op"] == "event");
    // Counted as the writer frames it: never behind what the client read.
    json stats = client.request({{"op", "stats"}, {"id", 3}});
    CHECK(stats["op"] == "stats");
    CHECK(stats["id"] == 3);
    CHECK(stats["published"] == 1);
    CHECK(stats["subscriptions"] == 1);
    CHECK(stats["dropped"]["slow_consumer"] == 0);
    // This connection's own figures, per subscription.
    CHECK(stats["connection"]["delivered"] == 1);
    CHECK(stats["connection"]["dropped"] == 0);
    CHECK(stats["connection"]["subscriptions"]["w"] ==
          json{{"delivered", 1}, {"dropped", 0}, {"queued", 0}});

    temp_dir out;
    child_process evctl({evctl_binary(), "--addr", evd.unix_address(), "stats"},
                        out.path() + "/out", "");
    CHECK(wait_exit(evctl) == 0);
    std::string text = read_file(out.path() + "/out");
    CHECK(text.find("published 1\n") != std::string::npos);
    CHECK(text.find("dropped.slow_consumer 0\n") != std::string::npos);
    CHECK(evd.stop() == 0);
  }

  TEST_CASE("json logs are one valid JSON object a line") {
    evd_instance evd({"--log-format", "json"});
    line_client client(evd.unix_address());
    CHECK(client.request({{"op", "ping"}}).is_null() == false);
    CHECK(evd.stop() == 0);
    std::istringstream lines(evd.log());
    std::string line;
    int count = 0;
    while (std::getline(lines, line)) {
      auto j = json::parse(line, nullptr, false);
      CHECK_MESSAGE(j.is_object(), line);
      if (j.is_object()) {
        CHECK(j.contains("ts"));
        CHECK(j.contains("level"));
        CHECK(j.contains("msg"));
      }
      ++count;
    }
    CHECK(count > 2);
  }
}

}  // namespace evd::test
