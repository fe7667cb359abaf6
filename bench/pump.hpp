// The relay behind `--broker loopback`: no broker, only the bytes. It
// accepts the run's subscriber connections, then the publisher's, and
// copies everything the publisher sends to every subscriber unread, so a
// run through it measures what loopback TCP and the bench's own client
// can carry: the ceiling for every broker's figure. Each subscriber has its
// own queue of shared chunks and its own writer, so that one full socket
// does not hold up the others, as in any broker.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "proto/address.hpp"

namespace evd::bench {

class pump {
 public:
  // Listens on a free 127.0.0.1 port and starts relaying on a thread of
  // its own, as a broker would run in a process of its own. The first
  // `subscribers` connections are subscribers, each confirmed with one ok
  // line (loopback_ok_line()); the next is the publisher, which gets the
  // same line once it has shut down its sending side and everything it
  // sent is queued for every subscriber. Throws boost::system::system_error
  // if it cannot listen.
  explicit pump(unsigned subscribers);

  // Stops relaying, closes every connection and joins the thread.
  ~pump();

  pump(const pump&) = delete;
  pump& operator=(const pump&) = delete;

  // Where the subscribers and the publisher connect.
  proto::address address() const;

 private:
  // One subscriber's connection and what is still to be written to it.
  struct outlet {
    explicit outlet(boost::asio::ip::tcp::socket s);
    boost::asio::ip::tcp::socket socket;
    boost::asio::steady_timer wake;  // cancelled when a chunk is queued
    std::deque<std::shared_ptr<const std::string>> queue;
  };

  boost::asio::awaitable<void> relay();
  boost::asio::awaitable<void> write_loop(outlet& out);

  // Everything below belongs to the relay thread.
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned subscribers_;
  std::vector<std::unique_ptr<outlet>> outlets_;
  bool finished_ = false;  // the publisher is done; drain and stop
  std::jthread thread_;
};

}  // namespace evd::bench
