// One client connection. A session is a reader coroutine (lines in,
// requests handled, replies queued) and a writer coroutine (replies and
// deliveries out, batched into gather writes), both on the session's
// strand, which owns every member below. The coroutines hold the session
// alive through shared_from_this; the server holds only weak references.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "core/channel_sink.hpp"
#include "daemon/broker.hpp"
#include "daemon/close_reason.hpp"
#include "daemon/config.hpp"
#include "daemon/metrics.hpp"
#include "daemon/subscription.hpp"
#include "proto/request.hpp"

namespace evd::daemon {

class session : public std::enable_shared_from_this<session> {
 public:
  using socket_type = boost::asio::generic::stream_protocol::socket;
  using strand_type = boost::asio::strand<boost::asio::any_io_executor>;

  // `socket` must already use `strand`. `peer` names the remote end for
  // logs, e.g. "unix" or "tcp:127.0.0.1:5000". The caller counted this
  // session in `connections`; close() takes it off. `hub`, `live_config`
  // (and every configuration it ever points to) and `connections` must
  // outlive the session.
  //
  // Each request is checked against the configuration current when it is
  // handled, so a reload reaches connections already open; only the line
  // length limit is fixed when the connection opens.
  session(socket_type socket, strand_type strand, broker& hub,
          const std::atomic<const config*>& live_config,
          std::atomic<std::size_t>& connections, std::uint64_t id,
          std::string peer);

  // Starts the reader and the writer.
  void start();

  // Ends the session gracefully: stop reading, deliver what the broker
  // already handed to its subscriptions, say closed/shutdown, close.
  // Thread-safe.
  void shutdown();

  // Closes at once. Thread-safe.
  void abort(close_reason why);

  // `conn=42 peer=unix`: how logs name this session.
  const std::string& name() const noexcept { return name_; }

 private:
  boost::asio::awaitable<void> read_loop();
  boost::asio::awaitable<void> write_loop();
  boost::asio::awaitable<void> wait_for_reply_room();
  boost::asio::awaitable<core::error_code> write_all(
      std::vector<boost::asio::const_buffer>& buffers);
  void arm_write_timer();

  void handle_line(std::string_view line);
  void handle(const nlohmann::json& id, proto::publish_request& req);
  void handle(const nlohmann::json& id, proto::subscribe_request& req);
  void handle(const nlohmann::json& id, proto::unsubscribe_request& req);
  void handle(const nlohmann::json& id, proto::ping_request& req);
  void handle(const nlohmann::json& id, proto::stats_request& req);

  nlohmann::ordered_json connection_figures() const;

  void send(std::string frame);
  // What a subscription handed to the connection and what it lost.
  struct sub_counts {
    std::uint64_t delivered = 0;
    std::uint64_t dropped = 0;
  };
  sub_counts end_subscription(std::uint64_t token, drop_cause why);
  sub_counts retire(subscription& sub, drop_cause why);
  bool refuse_queue_bounds(const nlohmann::json& id,
                           const proto::subscribe_request& req,
                           const config& cfg, core::queue_limits& limits);
  void finish(close_reason why);
  void close(close_reason why);
  bool drained() const;
  const config& settings() const {
    return *live_config_.load(std::memory_order_acquire);
  }

  socket_type socket_;
  strand_type strand_;
  broker& broker_;
  const std::atomic<const config*>& live_config_;
  std::atomic<std::size_t>& connections_;
  std::string name_;

  std::shared_ptr<core::delivery_channel> channel_;
  std::unordered_map<std::string, std::uint64_t> tokens_by_name_;
  std::unordered_map<std::uint64_t, std::unique_ptr<subscription>> subs_;
  std::uint64_t next_token_ = 1;          // 0 marks a wake-up, not a delivery
  std::size_t reserved_queue_bytes_ = 0;  // sum of the subs' max_bytes
  sub_counts ended_counts_;               // of subscriptions that ended

  std::string replies_;
  boost::asio::steady_timer reply_room_;  // the reader waits on it
  boost::asio::steady_timer write_timer_;
  std::uint64_t write_attempt_ = 0;  // which write the timer guards
  bool writing_ = false;

  bool finishing_ = false;  // no more reading; writer flushes then closes
  close_reason finish_reason_ = close_reason::client_done;
  bool closed_ = false;
};

}  // namespace evd::daemon
