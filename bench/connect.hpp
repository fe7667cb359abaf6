// Opening evd_bench's connections to the daemon under test.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/generic/stream_protocol.hpp>

#include "proto/address.hpp"

namespace evd::bench {

using socket_type = boost::asio::generic::stream_protocol::socket;

// Connects `socket` (open or not) to `where`, with Nagle off on TCP so
// small replies are not held back. Throws std::runtime_error naming the
// address on failure; closing the socket cancels it.
boost::asio::awaitable<void> async_connect(socket_type& socket,
                                           const proto::address& where);

}  // namespace evd::bench
