// The running daemon: listeners, sessions, the broker and the threads that
// run them. Construction binds every listener (so a bad address fails
// before anything runs); run() serves until SIGINT or SIGTERM, then drains.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "daemon/broker.hpp"
#include "daemon/config.hpp"
#include "daemon/listener.hpp"
#include "daemon/session.hpp"

namespace evd::daemon {

class server {
 public:
  // Binds every listener in `cfg.listen`; throws std::runtime_error when
  // one cannot be opened.
  explicit server(config cfg);

  // Serves on cfg.threads threads until a stop signal, then stops
  // accepting, lets subscribers drain (up to cfg.drain_timeout) and
  // returns.
  void run();

 private:
  void accept(listener::socket_type socket, listener::strand_type strand,
              std::string peer);
  void wait_for_signal();
  void begin_shutdown(int signal);
  void watch_drain();
  std::vector<std::shared_ptr<session>> live_sessions();

  config config_;
  boost::asio::io_context io_;
  // Listeners and signals are handled on this strand, so closing a
  // listener never races its accept loop.
  boost::asio::strand<boost::asio::io_context::executor_type> control_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer drain_timer_;
  broker broker_;
  std::vector<std::unique_ptr<listener>> listeners_;

  std::mutex sessions_mutex_;
  std::unordered_map<std::uint64_t, std::weak_ptr<session>> sessions_;
  std::size_t sweep_at_ = 1024;  // prune ended sessions at this size
  std::atomic<std::uint64_t> next_session_id_{1};
  bool stopping_ = false;  // on control_
  std::chrono::steady_clock::time_point drain_deadline_;
};

}  // namespace evd::daemon
