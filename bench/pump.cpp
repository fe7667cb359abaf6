#include "bench/pump.hpp"

#include <exception>
#include <string>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "bench/evd_wire.hpp"

namespace evd::bench {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
constexpr auto as_result = asio::as_tuple(asio::use_awaitable);

constexpr std::size_t relay_chunk = 256 * 1024;

}  // namespace

pump::pump(unsigned subscribers)
    : acceptor_(io_, tcp::endpoint(asio::ip::address_v4::loopback(), 0)),
      subscribers_(subscribers) {
  // The relay ends on its own once the publisher is done or a connection
  // fails; the destructor stops whatever is left.
  asio::co_spawn(io_, relay(), [](std::exception_ptr) {});
  thread_ = std::jthread([this] { io_.run(); });
}

pump::~pump() { io_.stop(); }

proto::address pump::address() const {
  proto::address where;
  where.kind = proto::address::transport::tcp;
  where.host = "127.0.0.1";
  where.port = acceptor_.local_endpoint().port();
  return where;
}

asio::awaitable<void> pump::relay() {
  const std::string ok = loopback_ok_line();
  std::vector<tcp::socket> subs;
  for (unsigned i = 0; i < subscribers_; ++i) {
    auto sub = co_await acceptor_.async_accept(asio::use_awaitable);
    sub.set_option(tcp::no_delay(true));
    co_await asio::async_write(sub, asio::buffer(ok), asio::use_awaitable);
    subs.push_back(std::move(sub));
  }
  auto pub = co_await acceptor_.async_accept(asio::use_awaitable);
  pub.set_option(tcp::no_delay(true));

  std::vector<char> chunk(relay_chunk);
  for (;;) {
    auto [ec, n] = co_await pub.async_read_some(asio::buffer(chunk), as_result);
    if (ec == asio::error::eof) break;
    if (ec) co_return;
    for (auto& sub : subs) {
      auto [write_ec, _] = co_await asio::async_write(
          sub, asio::buffer(chunk.data(), n), as_result);
      if (write_ec) co_return;
    }
  }
  co_await asio::async_write(pub, asio::buffer(ok), as_result);
}

}  // namespace evd::bench
