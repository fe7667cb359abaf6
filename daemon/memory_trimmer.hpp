// Gives memory back to the system once clients have gone. glibc's malloc
// keeps what a burst of connections freed for reuse, so without this an
// evd that served heavy churn keeps the peak of it resident long after the
// last client left, though nothing in it is live (see core::event::live).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

namespace evd::daemon {

class memory_trimmer {
 public:
  // Watches `connections` (evd's count of open sessions) from a timer on
  // `ex`. Both must outlive the trimmer's timer (cancel it with stop()).
  memory_trimmer(boost::asio::any_io_executor ex,
                 const std::atomic<std::size_t>& connections);

  void start();
  void stop();

 private:
  void schedule();
  void tick();

  boost::asio::steady_timer timer_;
  const std::atomic<std::size_t>& connections_;
  std::size_t last_seen_ = 0;  // connections at the previous tick
  std::chrono::steady_clock::time_point last_trim_;
  bool stopped_ = false;
};

}  // namespace evd::daemon
