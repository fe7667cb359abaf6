// The daemon's effective configuration: what the command line (and later a
// config file) decided, read by every other part of the daemon.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include <spdlog/common.h>

#include "core/queue.hpp"
#include "proto/address.hpp"

namespace evd::daemon {

// How evd's Unix sockets are presented in the file system: who may connect
// is decided here. Empty names leave the owner or group as created.
struct socket_access {
  mode_t mode = 0660;
  std::string user;
  std::string group;

  bool operator==(const socket_access&) const = default;
};

enum class log_format { text, json };

struct config {
  // Where to accept clients; the defaults are a Unix socket and loopback
  // TCP (proto::default_unix_address, proto::default_tcp_address).
  std::vector<proto::address> listen;

  // Longest request line a client may send, terminator excluded.
  std::size_t max_line_bytes = 1 << 20;

  // Largest event a client may publish, as the bytes it wrote.
  std::size_t max_event_bytes = 256 << 10;

  // Clients connected at once; one more is refused with limit_exceeded.
  std::size_t max_connections = 10'000;

  // What a subscription may hold undelivered before its overflow policy
  // applies, unless its sub request asks for other bounds.
  core::queue_limits subscription_queue{10'000, 8 << 20};

  // The most a sub request may ask for.
  core::queue_limits subscription_queue_ceiling{1'000'000, 256 << 20};

  // The sum of max_bytes over one connection's subscriptions: what one
  // client can make evd hold for it.
  std::size_t max_connection_queue_bytes = 1 << 30;

  // Recent events kept for replay ("since" in a sub request).
  core::queue_limits history{10'000, 64 << 20};

  // Subscriptions one connection may hold at once.
  std::size_t max_subscriptions_per_connection = 1000;

  // How long a connection's socket may accept no bytes while evd has some
  // to write before evd closes it.
  std::chrono::milliseconds write_timeout{10'000};

  // Deliveries buffered between a connection's queues and its writer.
  std::size_t channel_capacity = 256;

  // Replies waiting to be written before evd stops reading the client.
  std::size_t max_pending_reply_bytes = 4 << 20;

  // I/O threads; 0 means one per core.
  unsigned threads = 0;

  // How long a shutdown waits for subscribers to receive what is queued.
  std::chrono::milliseconds drain_timeout{5000};

  spdlog::level::level_enum log_level = spdlog::level::info;
  log_format log_style = log_format::text;

  // Mode and ownership of every Unix socket evd listens on.
  socket_access unix_socket;

  // The HTTP endpoint for /metrics, /healthz and /readyz, as HOST:PORT on
  // a loopback address; empty means off.
  std::string http_listen;
};

}  // namespace evd::daemon
