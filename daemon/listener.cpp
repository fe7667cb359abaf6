#include "daemon/listener.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "daemon/accounts.hpp"

namespace evd::daemon {
namespace {

namespace asio = boost::asio;
using generic = asio::generic::stream_protocol;

[[noreturn]] void fail(const proto::address& where, const std::string& why) {
  throw std::runtime_error("cannot listen on " + where.to_string() + ": " +
                           why);
}

// Makes room for a Unix socket at `path`: removes a stale socket file that
// nothing accepts on, refuses a live one or a file of another kind.
void clear_stale_socket(const proto::address& where) {
  struct stat st {};
  if (::lstat(where.path.c_str(), &st) != 0) return;
  if (!S_ISSOCK(st.st_mode)) fail(where, "path exists and is not a socket");

  asio::io_context probe_io;
  asio::local::stream_protocol::socket probe(probe_io);
  boost::system::error_code ec;
  probe.connect(asio::local::stream_protocol::endpoint(where.path), ec);
  if (!ec) fail(where, "another process is accepting on it");
  spdlog::info("removing stale socket path={}", where.path);
  std::filesystem::remove(where.path);
}

asio::ip::tcp::endpoint resolve(const proto::address& where) {
  boost::system::error_code ec;
  auto ip = asio::ip::make_address(where.host, ec);
  if (!ec) return {ip, where.port};
  asio::io_context io;
  asio::ip::tcp::resolver resolver(io);
  auto results = resolver.resolve(where.host, std::to_string(where.port), ec);
  if (ec || results.empty()) fail(where, "cannot resolve host");
  return *results.begin();
}

std::string describe_peer(const generic::endpoint& ep) {
  if (ep.protocol().family() == AF_UNIX) return "unix";
  asio::ip::tcp::endpoint tcp;
  std::memcpy(tcp.data(), ep.data(), std::min(ep.size(), tcp.capacity()));
  std::string host = tcp.address().to_string();
  if (tcp.address().is_v6()) host = "[" + host + "]";
  return "tcp:" + host + ":" + std::to_string(tcp.port());
}

// A bound socket's address as evd spells it.
proto::address to_address(const sockaddr_storage& ss, socklen_t len) {
  proto::address a;
  if (ss.ss_family == AF_UNIX) {
    a.kind = proto::address::transport::unix_socket;
    a.path = reinterpret_cast<const sockaddr_un*>(&ss)->sun_path;
    return a;
  }
  asio::ip::tcp::endpoint tcp;
  std::memcpy(tcp.data(), &ss, std::min<std::size_t>(len, tcp.capacity()));
  a.kind = proto::address::transport::tcp;
  a.host = tcp.address().to_string();
  a.port = tcp.port();
  return a;
}

}  // namespace

listener::listener(asio::io_context& io, int fd) : acceptor_(io) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("passed socket fd=" + std::to_string(fd) + ": " +
                             std::strerror(errno));
  }
  bound_ = to_address(ss, len);
  int protocol = ss.ss_family == AF_UNIX ? 0 : IPPROTO_TCP;
  boost::system::error_code ec;
  acceptor_.assign(generic(ss.ss_family, protocol), fd, ec);
  if (ec) fail(bound_, ec.message());
}

void listener::set_access(const socket_access& access) {
  // A socket systemd passed has the access evd.socket gave it; changing
  // it behind the unit's back would surprise its operator.
  if (!owns_socket_file_) return;
  uid_t uid = static_cast<uid_t>(-1);
  gid_t gid = static_cast<gid_t>(-1);
  if (!access.user.empty()) {
    auto id = find_user_id(access.user);
    if (!id) fail(bound_, "no user named " + access.user);
    uid = *id;
  }
  if (!access.group.empty()) {
    auto id = find_group_id(access.group);
    if (!id) fail(bound_, "no group named " + access.group);
    gid = *id;
  }
  if ((uid != static_cast<uid_t>(-1) || gid != static_cast<gid_t>(-1)) &&
      ::chown(bound_.path.c_str(), uid, gid) != 0) {
    fail(bound_, std::string("chown: ") + std::strerror(errno));
  }
  if (::chmod(bound_.path.c_str(), access.mode) != 0) {
    fail(bound_, std::string("chmod: ") + std::strerror(errno));
  }
}

listener::listener(asio::io_context& io, const proto::address& where,
                   const socket_access& access)
    : acceptor_(io), bound_(where) {
  boost::system::error_code ec;
  if (where.kind == proto::address::transport::unix_socket) {
    std::filesystem::path dir = std::filesystem::path(where.path).parent_path();
    if (!dir.empty() && !std::filesystem::exists(dir)) {
      fail(where, "directory " + dir.string() + " does not exist");
    }
    clear_stale_socket(where);
    generic::endpoint ep{asio::local::stream_protocol::endpoint(where.path)};
    acceptor_.open(ep.protocol(), ec);
    if (!ec) acceptor_.bind(ep, ec);
    if (!ec) owns_socket_file_ = true;
    // Before listen(): nobody may connect while the mode is still loose.
    if (!ec) set_access(access);
  } else {
    generic::endpoint ep{resolve(where)};
    acceptor_.open(ep.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(ep, ec);
    if (!ec) {
      auto local = acceptor_.local_endpoint(ec);
      asio::ip::tcp::endpoint tcp;
      std::memcpy(tcp.data(), local.data(),
                  std::min(local.size(), tcp.capacity()));
      bound_.port = tcp.port();
    }
  }
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) fail(where, ec.message());
}

listener::~listener() { close(); }

asio::awaitable<void> listener::accept_loop(accept_handler on_accept) {
  using namespace std::chrono_literals;
  std::chrono::milliseconds pause{0};
  for (;;) {
    // Each connection gets its own strand: its coroutines never run
    // concurrently, and different connections run on different threads.
    auto strand = asio::make_strand(acceptor_.get_executor());
    auto [ec, socket] = co_await acceptor_.async_accept(
        strand, asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) {
      co_return;
    }
    if (ec) {
      // Out of descriptors and the like: the listener stays up, but the
      // condition lasts until some connection closes, and retrying at once
      // would spin and flood the log. Back off from 5 ms, doubling to 1 s,
      // and warn when a run of failures starts and then once a second.
      pause = std::min(pause == 0ms ? 5ms : pause * 2,
                       std::chrono::milliseconds(1000));
      if (pause == 5ms || pause == 1000ms) {
        spdlog::warn("accept failed listener={} ec=\"{}\" retry_ms={}",
                     bound_.to_string(), ec.message(), pause.count());
      }
      asio::steady_timer wait(co_await asio::this_coro::executor, pause);
      co_await wait.async_wait(asio::as_tuple(asio::use_awaitable));
      if (!acceptor_.is_open()) co_return;
      continue;
    }
    pause = 0ms;
    boost::system::error_code ignored;
    std::string peer = describe_peer(socket.remote_endpoint(ignored));
    if (bound_.kind == proto::address::transport::tcp) {
      socket.set_option(asio::ip::tcp::no_delay(true), ignored);
    }
    on_accept(socket_type(std::move(socket)), std::move(strand),
              std::move(peer));
  }
}

void listener::close() {
  boost::system::error_code ignored;
  if (acceptor_.is_open()) acceptor_.close(ignored);
  if (owns_socket_file_) {
    owns_socket_file_ = false;
    std::filesystem::remove(bound_.path, ignored);
  }
}

}  // namespace evd::daemon
