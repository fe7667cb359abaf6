#include "cli/connection.hpp"

#include <cstdlib>
#include <istream>
#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

namespace evd::cli {
namespace {

namespace asio = boost::asio;
using generic = asio::generic::stream_protocol;

generic::socket connect(asio::io_context& io, const proto::address& where) {
  generic::socket socket(io);
  boost::system::error_code ec;
  if (where.kind == proto::address::transport::unix_socket) {
    generic::endpoint ep{asio::local::stream_protocol::endpoint(where.path)};
    socket.connect(ep, ec);
  } else {
    asio::ip::tcp::resolver resolver(io);
    auto results = resolver.resolve(where.host, std::to_string(where.port), ec);
    ec = asio::error::host_not_found;
    for (const auto& entry : results) {
      boost::system::error_code ignored;
      socket.close(ignored);
      socket.connect(generic::endpoint(entry.endpoint()), ec);
      if (!ec) {
        socket.set_option(asio::ip::tcp::no_delay(true), ignored);
        break;
      }
    }
  }
  if (ec) {
    throw std::runtime_error("cannot connect to " + where.to_string() + ": " +
                             ec.message());
  }
  return socket;
}

}  // namespace

proto::address resolve_address(const std::string& flag) {
  std::string text = flag;
  if (text.empty()) {
    const char* env = std::getenv("EVD_ADDR");
    if (env == nullptr || *env == '\0') return proto::default_unix_address();
    text = env;
  }
  std::string error;
  auto a = proto::address::parse(text, error);
  if (!a) throw std::runtime_error(error);
  return *a;
}

connection::connection(asio::io_context& io, const proto::address& where)
    : socket_(connect(io, where)) {}

void connection::send(std::string_view line) {
  std::array<asio::const_buffer, 2> parts{asio::buffer(line),
                                          asio::buffer("\n", 1)};
  asio::write(socket_, parts);
}

std::optional<std::string> connection::read_line() {
  boost::system::error_code ec;
  asio::read_until(socket_, incoming_, '\n', ec);
  if (ec && incoming_.size() == 0) return std::nullopt;
  std::istream in(&incoming_);
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

void connection::finish_sending() {
  boost::system::error_code ignored;
  socket_.shutdown(socket_type::shutdown_send, ignored);
}

}  // namespace evd::cli
