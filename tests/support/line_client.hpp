// A test's raw connection to evd: send request lines, read reply lines,
// every wait bounded so that a hang fails the test instead of CI.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/streambuf.hpp>
#include <nlohmann/json.hpp>

namespace evd::test {

class line_client {
 public:
  // Connects to `unix:PATH` or `tcp:HOST:PORT`; throws on failure.
  explicit line_client(const std::string& address);

  // Writes raw bytes (add the newline yourself) or one line.
  void send_raw(std::string_view bytes);
  void send(const nlohmann::json& request) { send_raw(request.dump() + "\n"); }

  // The next line without its newline, or nothing on timeout or EOF.
  std::optional<std::string> read_line(
      std::chrono::milliseconds timeout = std::chrono::seconds(5));

  // The next line parsed as JSON; null on timeout, EOF or bad JSON.
  nlohmann::json read_json(
      std::chrono::milliseconds timeout = std::chrono::seconds(5));

  // Sends a request and returns the next line as JSON (no events must be
  // arriving on this connection meanwhile).
  nlohmann::json request(const nlohmann::json& req);

  // Whether the peer closed the connection within `timeout` (any lines
  // that arrive first are discarded).
  bool closed_by_peer(
      std::chrono::milliseconds timeout = std::chrono::seconds(5));

  void shutdown_send();
  void close();

 private:
  boost::asio::io_context io_;
  boost::asio::generic::stream_protocol::socket socket_;
  boost::asio::streambuf incoming_;
  bool eof_ = false;
};

}  // namespace evd::test
