#include <chrono>
#include <iostream>

#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include "cli/commands.hpp"
#include "cli/connection.hpp"

namespace evd::cli {

int run_ping(const proto::address& where, int timeout_ms) {
  namespace asio = boost::asio;
  asio::io_context io;
  connection conn(io, where);

  std::string request = R"({"op":"ping","id":1})"
                        "\n";
  asio::streambuf reply;
  bool answered = false;
  asio::async_write(conn.socket(), asio::buffer(request),
                    [](boost::system::error_code, std::size_t) {});
  asio::async_read_until(
      conn.socket(), reply, '\n',
      [&](boost::system::error_code ec, std::size_t) { answered = !ec; });
  auto started = std::chrono::steady_clock::now();
  io.run_for(std::chrono::milliseconds(timeout_ms));
  if (!answered) {
    std::cerr << "evctl: no pong from " << where.to_string() << " within "
              << timeout_ms << " ms\n";
    return 1;
  }
  auto took = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);
  std::cout << "pong from " << where.to_string() << " in " << took.count()
            << " us\n";
  return 0;
}

}  // namespace evd::cli
