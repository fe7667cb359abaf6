#include "bench/pump.hpp"

#include <exception>
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

pump::outlet::outlet(tcp::socket s)
    : socket(std::move(s)), wake(socket.get_executor()) {}

asio::awaitable<void> pump::relay() {
  const std::string ok = loopback_ok_line();
  for (unsigned i = 0; i < subscribers_; ++i) {
    auto sub = co_await acceptor_.async_accept(asio::use_awaitable);
    sub.set_option(tcp::no_delay(true));
    co_await asio::async_write(sub, asio::buffer(ok), asio::use_awaitable);
    auto& out =
        *outlets_.emplace_back(std::make_unique<outlet>(std::move(sub)));
    asio::co_spawn(io_, write_loop(out), [](std::exception_ptr) {});
  }
  auto pub = co_await acceptor_.async_accept(asio::use_awaitable);
  pub.set_option(tcp::no_delay(true));

  // Each read is copied once into a chunk that every queue shares.
  std::vector<char> buffer(relay_chunk);
  for (;;) {
    auto [ec, n] =
        co_await pub.async_read_some(asio::buffer(buffer), as_result);
    if (ec == asio::error::eof) break;
    if (ec) co_return;
    auto chunk = std::make_shared<const std::string>(buffer.data(), n);
    for (auto& out : outlets_) {
      out->queue.push_back(chunk);
      out->wake.cancel();
    }
  }
  finished_ = true;
  for (auto& out : outlets_) out->wake.cancel();
  co_await asio::async_write(pub, asio::buffer(ok), as_result);
}

asio::awaitable<void> pump::write_loop(outlet& out) {
  for (;;) {
    if (out.queue.empty()) {
      if (finished_) co_return;
      out.wake.expires_at(asio::steady_timer::time_point::max());
      co_await out.wake.async_wait(as_result);
      continue;
    }
    auto chunk = std::move(out.queue.front());
    out.queue.pop_front();
    auto [ec, _] =
        co_await asio::async_write(out.socket, asio::buffer(*chunk), as_result);
    if (ec) co_return;
  }
}

}  // namespace evd::bench
