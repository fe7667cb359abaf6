// evctl's side of a connection to evd: connect to an address, write
// request lines, read reply lines. Blocking; evctl runs one conversation.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/streambuf.hpp>

#include "proto/address.hpp"

namespace evd::cli {

// The address evctl talks to: --addr if given, else $EVD_ADDR, else evd's
// default Unix socket. Throws std::runtime_error on a malformed address.
proto::address resolve_address(const std::string& flag);

class connection {
 public:
  using socket_type = boost::asio::generic::stream_protocol::socket;

  // Connects; throws std::runtime_error naming the address on failure.
  connection(boost::asio::io_context& io, const proto::address& where);

  // Writes `line` and a newline.
  void send(std::string_view line);

  // The next line without its newline; nothing at end of stream.
  std::optional<std::string> read_line();

  // Tells evd we have nothing more to send; replies still arrive.
  void finish_sending();

  socket_type& socket() noexcept { return socket_; }

 private:
  socket_type socket_;
  boost::asio::streambuf incoming_;
};

}  // namespace evd::cli
