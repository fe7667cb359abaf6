#include "daemon/http_endpoint.hpp"

#include <chrono>
#include <stdexcept>
#include <utility>

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include "proto/address.hpp"

namespace evd::daemon {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto as_result = asio::as_tuple(asio::use_awaitable);

// A scraper that connects and says nothing is cut off after this, so it
// cannot hold evd's shutdown for long.
constexpr std::chrono::seconds request_timeout{5};

http::response<http::string_body> answer(
    const http::request<http::string_body>& req,
    const http_endpoint::handlers& h) {
  http::response<http::string_body> res;
  res.version(req.version());
  res.keep_alive(false);
  res.set(http::field::server, "evd");
  res.set(http::field::content_type, "text/plain; charset=utf-8");

  std::string_view target = req.target();
  target = target.substr(0, target.find('?'));
  if (req.method() != http::verb::get && req.method() != http::verb::head) {
    res.result(http::status::method_not_allowed);
    res.set(http::field::allow, "GET, HEAD");
    res.body() = "method not allowed\n";
  } else if (target == "/metrics") {
    res.result(http::status::ok);
    res.set(http::field::content_type, "text/plain; version=0.0.4");
    res.body() = h.metrics();
  } else if (target == "/healthz") {
    res.result(http::status::ok);
    res.body() = "ok\n";
  } else if (target == "/readyz") {
    bool ready = h.ready();
    res.result(ready ? http::status::ok : http::status::service_unavailable);
    res.body() = ready ? "ready\n" : "not ready\n";
  } else {
    res.result(http::status::not_found);
    res.body() = "not found\n";
  }
  if (req.method() == http::verb::head) {
    res.content_length(res.body().size());
    res.body().clear();
    return res;
  }
  res.prepare_payload();
  return res;
}

asio::awaitable<void> serve(tcp::socket socket, http_endpoint::handlers h) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  http::request<http::string_body> req;
  stream.expires_after(request_timeout);
  auto [ec, n] = co_await http::async_read(stream, buffer, req, as_result);
  if (ec) co_return;  // a timeout or a bad request: nothing to answer
  auto res = answer(req, h);
  stream.expires_after(request_timeout);
  co_await http::async_write(stream, res, as_result);
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

}  // namespace

std::optional<tcp::endpoint> parse_loopback_endpoint(
    const std::string& host_port, std::string& error) {
  auto where = proto::address::parse("tcp:" + host_port, error);
  if (!where) return std::nullopt;
  std::string host = where->host;
  if (host == "localhost") host = "127.0.0.1";
  if (host.starts_with('[')) host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  auto ip = asio::ip::make_address(host, ec);
  if (ec || !ip.is_loopback()) {
    error = host_port + " is not a loopback address";
    return std::nullopt;
  }
  return tcp::endpoint{ip, where->port};
}

http_endpoint::http_endpoint(asio::io_context& io, const std::string& host_port,
                             handlers h)
    : acceptor_(io), handlers_(std::move(h)) {
  std::string error;
  auto ep = parse_loopback_endpoint(host_port, error);
  if (!ep) throw std::runtime_error("--http-listen: " + error);
  boost::system::error_code ec;
  acceptor_.open(ep->protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(*ep, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    throw std::runtime_error("cannot listen on http " + host_port + ": " +
                             ec.message());
  }
}

asio::awaitable<void> http_endpoint::accept_loop() {
  for (;;) {
    auto strand = asio::make_strand(acceptor_.get_executor());
    auto [ec, socket] = co_await acceptor_.async_accept(strand, as_result);
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) {
      co_return;
    }
    if (ec) {
      spdlog::warn("http accept failed ec=\"{}\"", ec.message());
      continue;
    }
    asio::co_spawn(strand, serve(std::move(socket), handlers_), asio::detached);
  }
}

void http_endpoint::close() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

std::string http_endpoint::bound() const {
  boost::system::error_code ec;
  auto ep = acceptor_.local_endpoint(ec);
  std::string host = ep.address().to_string();
  if (ep.address().is_v6()) host = "[" + host + "]";
  return host + ":" + std::to_string(ep.port());
}

}  // namespace evd::daemon
