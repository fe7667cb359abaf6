// The running daemon: listeners, sessions, the broker and the threads that
// run them. Construction binds every listener (so a bad address fails
// before anything runs); run() serves until SIGINT or SIGTERM, then drains.
// SIGHUP reloads the configuration. systemd hears of each step through
// the service notifier.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "daemon/broker.hpp"
#include "daemon/config.hpp"
#include "daemon/http_endpoint.hpp"
#include "daemon/listener.hpp"
#include "daemon/memory_trimmer.hpp"
#include "daemon/service_notifier.hpp"
#include "daemon/session.hpp"

namespace evd::daemon {

class server {
 public:
  // Reads the configuration again for SIGHUP; nothing, with the reason in
  // its argument, when it is invalid.
  using reload_function =
      std::function<std::optional<config>(std::string& error)>;

  // Serves the sockets systemd passed (socket activation) when there are
  // any, else binds every listener in `cfg.listen`; binds the HTTP
  // endpoint when cfg.http_listen is set. Throws std::runtime_error when
  // a socket cannot be opened.
  server(config cfg, reload_function reload);

  // Serves on cfg.threads threads until a stop signal, then stops
  // accepting, lets subscribers drain (up to cfg.drain_timeout) and
  // returns.
  void run();

 private:
  void accept(listener::socket_type socket, listener::strand_type strand,
              std::string peer);
  void refuse(listener::socket_type& socket, const std::string& peer);
  void wait_for_signal();
  void begin_shutdown(int signal);
  void reload();
  void warn_if_descriptors_short() const;
  void watch_drain();
  void drained();
  std::string status() const;
  std::vector<std::shared_ptr<session>> live_sessions();

  // The running configuration, read and replaced on control_.
  config config_;
  // Every configuration ever run. A session reads the current one through
  // live_config_ for each request and may still hold one a reload has
  // replaced, so none is freed before the server; a reload costs one
  // config.
  std::deque<config> generations_;
  // The newest of generations_; set on control_, read by every session.
  std::atomic<const config*> live_config_{nullptr};
  reload_function reload_;
  // Sessions not yet closed; each decrements it once, in its close().
  std::atomic<std::size_t> connections_{0};
  boost::asio::io_context io_;
  // Listeners and signals are handled on this strand, so closing a
  // listener never races its accept loop.
  boost::asio::strand<boost::asio::io_context::executor_type> control_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer drain_timer_;
  broker broker_;
  std::vector<std::unique_ptr<listener>> listeners_;
  std::unique_ptr<http_endpoint> http_;
  service_notifier notifier_;
  memory_trimmer trimmer_;
  std::atomic<bool> ready_{false};  // what /readyz reports

  std::mutex sessions_mutex_;
  std::unordered_map<std::uint64_t, std::weak_ptr<session>> sessions_;
  std::size_t sweep_at_ = 1024;  // prune ended sessions at this size
  std::atomic<std::uint64_t> next_session_id_{1};
  bool stopping_ = false;                  // on control_
  std::uint64_t refused_connections_ = 0;  // on control_
  std::chrono::steady_clock::time_point drain_deadline_;
};

}  // namespace evd::daemon
