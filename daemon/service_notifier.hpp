// evd's side of systemd's notify protocol (Type=notify): READY=1,
// STOPPING=1, STATUS= lines and watchdog pings, sent with libsystemd's
// sd_notify. Without $NOTIFY_SOCKET every call does nothing.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

namespace evd::daemon {

class service_notifier {
 public:
  // `status` renders the STATUS= text; it is called on `ex`. Timers run
  // on `ex`, so a wedged event loop stops the watchdog pings and systemd
  // restarts evd. Known gap: with several I/O threads one stuck thread
  // goes unnoticed while another still runs `ex`.
  service_notifier(boost::asio::any_io_executor ex,
                   std::function<std::string()> status);

  // Sends READY=1 and a first STATUS=, then starts the watchdog pings (at
  // half of $WATCHDOG_USEC) and refreshes STATUS= every few seconds.
  void ready();

  // RELOADING=1 ... READY=1 around a configuration reload.
  void reloading();
  void reloaded();

  // Sends STOPPING=1 and a status; pings go on while evd drains.
  void stopping();

  // Cancels every timer, so the event loop can run out of work.
  void stop();

 private:
  void ping_watchdog();
  void refresh_status();
  void send_status();

  std::function<std::string()> status_;
  boost::asio::steady_timer watchdog_timer_;
  boost::asio::steady_timer status_timer_;
  std::chrono::microseconds watchdog_interval_{0};
  bool stopped_ = false;
};

}  // namespace evd::daemon
