// An open listening socket, Unix or TCP, accepting into the generic stream
// sockets that sessions use, so a session never knows its transport.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/basic_socket_acceptor.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include "daemon/config.hpp"
#include "proto/address.hpp"

namespace evd::daemon {

class listener {
 public:
  using socket_type = boost::asio::generic::stream_protocol::socket;
  using strand_type = boost::asio::strand<boost::asio::any_io_executor>;
  // Receives each accepted socket, the new strand its I/O runs on, and a
  // name for its peer.
  using accept_handler =
      std::function<void(socket_type, strand_type, std::string peer)>;

  // Binds and listens. A Unix socket file left by a crashed evd is
  // replaced; one that a live process still accepts on is not. A Unix
  // socket gets `access` before it accepts anyone. Throws
  // std::runtime_error with the reason on failure.
  listener(boost::asio::io_context& io, const proto::address& where,
           const socket_access& access);

  // Adopts `fd`, a socket that already listens (passed by systemd). The
  // listener owns it afterwards but leaves its file in place on close.
  listener(boost::asio::io_context& io, int fd);

  // Closes the socket and removes a Unix socket file it created.
  ~listener();

  // Runs the accept loop until close().
  boost::asio::awaitable<void> accept_loop(accept_handler on_accept);

  // Stops accepting. Idempotent; call from the listener's executor.
  void close();

  // Applies `access` to a Unix socket's file evd created; nothing for TCP
  // or a passed socket. Throws
  // std::runtime_error when an owner or group is unknown or not ours to
  // give.
  void set_access(const socket_access& access);

  // Where it listens, with the real port when 0 was asked for.
  const proto::address& bound() const noexcept { return bound_; }

 private:
  boost::asio::basic_socket_acceptor<boost::asio::generic::stream_protocol>
      acceptor_;
  proto::address bound_;
  bool owns_socket_file_ = false;
};

}  // namespace evd::daemon
