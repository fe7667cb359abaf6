#include "daemon/service_notifier.hpp"

#include <systemd/sd-daemon.h>

#include <utility>

#include <spdlog/spdlog.h>

namespace evd::daemon {
namespace {

// How often STATUS= is refreshed: often enough for `systemctl status` to
// look live, rarely enough to cost nothing.
constexpr std::chrono::seconds status_period{5};

void notify(const std::string& state) {
  int rc = ::sd_notify(0, state.c_str());
  if (rc < 0) {
    spdlog::warn("sd_notify failed state={} ec={}", state.substr(0, 16), rc);
  }
}

}  // namespace

service_notifier::service_notifier(boost::asio::any_io_executor ex,
                                   std::function<std::string()> status)
    : status_(std::move(status)), watchdog_timer_(ex), status_timer_(ex) {
  std::uint64_t usec = 0;
  // unset_environment=0: $WATCHDOG_USEC stays for tools evd runs, if any.
  if (::sd_watchdog_enabled(0, &usec) > 0) {
    watchdog_interval_ = std::chrono::microseconds(usec);
  }
}

void service_notifier::ready() {
  notify("READY=1");
  send_status();
  if (watchdog_interval_.count() > 0) {
    spdlog::info("watchdog enabled interval_ms={}",
                 watchdog_interval_.count() / 1000);
    ping_watchdog();
  }
  refresh_status();
}

void service_notifier::reloading() { notify("RELOADING=1"); }

void service_notifier::reloaded() {
  notify("READY=1");
  send_status();
}

void service_notifier::stopping() {
  notify("STOPPING=1");
  send_status();
}

void service_notifier::stop() {
  stopped_ = true;
  watchdog_timer_.cancel();
  status_timer_.cancel();
}

void service_notifier::ping_watchdog() {
  if (stopped_) return;
  notify("WATCHDOG=1");
  watchdog_timer_.expires_after(watchdog_interval_ / 2);
  watchdog_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) ping_watchdog();
  });
}

void service_notifier::refresh_status() {
  if (stopped_) return;
  status_timer_.expires_after(status_period);
  status_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    send_status();
    refresh_status();
  });
}

void service_notifier::send_status() { notify("STATUS=" + status_()); }

}  // namespace evd::daemon
