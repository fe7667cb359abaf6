// The HTTP side door for operators, served with Boost.Beast on a loopback
// address: /metrics (Prometheus text format), /healthz (the process
// answers) and /readyz (listeners up and not draining). One request per
// connection; it never carries client traffic.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace evd::daemon {

// The address `host_port` (HOST:PORT, HOST an IP address or localhost)
// names, or nothing with the reason in `error` when it is malformed or not
// a loopback address: the endpoint has no access control of its own.
// Options check --http-listen with it, so a bad value never reaches bind.
std::optional<boost::asio::ip::tcp::endpoint> parse_loopback_endpoint(
    const std::string& host_port, std::string& error);

class http_endpoint {
 public:
  struct handlers {
    std::function<std::string()> metrics;  // the /metrics body
    std::function<bool()> ready;           // what /readyz reports
  };

  // Binds `host_port` (HOST:PORT; port 0 picks one), which must be a
  // loopback address (see parse_loopback_endpoint). Throws
  // std::runtime_error when it cannot.
  http_endpoint(boost::asio::io_context& io, const std::string& host_port,
                handlers h);

  // Accepts until close(); each connection runs on its own strand, so the
  // handlers must be safe to call from any thread.
  boost::asio::awaitable<void> accept_loop();

  // Stops accepting; a request in progress still gets its answer.
  void close();

  // HOST:PORT with the real port.
  std::string bound() const;

 private:
  boost::asio::ip::tcp::acceptor acceptor_;
  handlers handlers_;
};

}  // namespace evd::daemon
