#include "tests/support/line_client.hpp"

#include <istream>
#include <stdexcept>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

namespace evd::test {
namespace {

namespace asio = boost::asio;
using generic = asio::generic::stream_protocol;

generic::endpoint endpoint_of(const std::string& address) {
  if (address.starts_with("unix:")) {
    return asio::local::stream_protocol::endpoint(address.substr(5));
  }
  if (address.starts_with("tcp:")) {
    std::string rest = address.substr(4);
    auto colon = rest.rfind(':');
    return asio::ip::tcp::endpoint(
        asio::ip::make_address(rest.substr(0, colon)),
        static_cast<unsigned short>(std::stoi(rest.substr(colon + 1))));
  }
  throw std::invalid_argument("bad address " + address);
}

}  // namespace

line_client::line_client(const std::string& address) : socket_(io_) {
  socket_.connect(endpoint_of(address));
}

void line_client::send_raw(std::string_view bytes) {
  asio::write(socket_, asio::buffer(bytes));
}

std::optional<std::string> line_client::read_line(
    std::chrono::milliseconds timeout) {
  if (!eof_) {
    bool done = false;
    asio::async_read_until(socket_, incoming_, '\n',
                           [&](boost::system::error_code ec, std::size_t) {
                             done = true;
                             if (ec) eof_ = true;
                           });
    io_.restart();
    io_.run_for(timeout);
    if (!done) {
      // Cancel the read and let its handler run before returning.
      socket_.cancel();
      io_.restart();
      io_.run();
    }
  }
  std::string_view data(static_cast<const char*>(incoming_.data().data()),
                        incoming_.size());
  auto newline = data.find('\n');
  if (newline == std::string_view::npos) return std::nullopt;
  std::string line(data.substr(0, newline));
  incoming_.consume(newline + 1);
  return line;
}

nlohmann::json line_client::read_json(std::chrono::milliseconds timeout) {
  auto line = read_line(timeout);
  if (!line) return nullptr;
  return nlohmann::json::parse(*line, nullptr, false);
}

nlohmann::json line_client::request(const nlohmann::json& req) {
  send(req);
  return read_json();
}

bool line_client::closed_by_peer(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!eof_) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    read_line(left);
  }
  return true;
}

void line_client::shutdown_send() {
  socket_.shutdown(generic::socket::shutdown_send);
}

void line_client::close() {
  boost::system::error_code ignored;
  socket_.close(ignored);
}

}  // namespace evd::test
