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

  // What a subscription may hold undelivered before it is closed as a slow
  // consumer.
  core::queue_limits subscription_queue{10'000, 64 << 20};

  // Subscriptions one connection may hold at once.
  std::size_t max_subscriptions_per_connection = 1000;

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
