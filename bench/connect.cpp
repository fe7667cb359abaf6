#include "bench/connect.hpp"

#include <stdexcept>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace evd::bench {
namespace {

namespace asio = boost::asio;
constexpr auto as_result = asio::as_tuple(asio::use_awaitable);

[[noreturn]] void fail(const proto::address& where,
                       const boost::system::error_code& ec) {
  throw std::runtime_error("cannot connect to " + where.to_string() + ": " +
                           ec.message());
}

}  // namespace

asio::awaitable<void> async_connect(socket_type& socket,
                                    const proto::address& where) {
  if (where.kind == proto::address::transport::unix_socket) {
    asio::local::stream_protocol::endpoint ep(where.path);
    auto [ec] = co_await socket.async_connect(ep, as_result);
    if (ec) fail(where, ec);
    co_return;
  }

  asio::ip::tcp::resolver resolver(socket.get_executor());
  auto [resolve_ec, found] = co_await resolver.async_resolve(
      where.host, std::to_string(where.port), as_result);
  if (resolve_ec || found.empty()) fail(where, resolve_ec);
  asio::ip::tcp::endpoint ep = *found.begin();
  auto [ec] = co_await socket.async_connect(ep, as_result);
  if (ec) fail(where, ec);
  socket.set_option(asio::ip::tcp::no_delay(true), ec);
}

}  // namespace evd::bench
