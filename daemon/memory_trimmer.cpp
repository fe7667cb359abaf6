#include "daemon/memory_trimmer.hpp"

#include <malloc.h>

#include <spdlog/spdlog.h>

namespace evd::daemon {
namespace {

using namespace std::chrono_literals;

// How often the connection count is looked at. A trim takes the
// allocator's locks for a moment, so it runs after the count falls and
// at most this often otherwise.
constexpr auto poll_interval = 1s;
constexpr auto busy_interval = 60s;

}  // namespace

memory_trimmer::memory_trimmer(boost::asio::any_io_executor ex,
                               const std::atomic<std::size_t>& connections)
    : timer_(std::move(ex)),
      connections_(connections),
      last_trim_(std::chrono::steady_clock::now()) {}

void memory_trimmer::start() { schedule(); }

void memory_trimmer::stop() {
  stopped_ = true;
  timer_.cancel();
}

void memory_trimmer::schedule() {
  if (stopped_) return;
  timer_.expires_after(poll_interval);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) tick();
  });
}

// Trims when connections fell since the last look and are now at most
// half of what they were (so one client leaving a busy daemon costs
// nothing), or after a long busy stretch without a trim.
void memory_trimmer::tick() {
  std::size_t now_open = connections_.load(std::memory_order_relaxed);
  auto now = std::chrono::steady_clock::now();
  bool emptied = now_open < last_seen_ && now_open <= last_seen_ / 2;
  bool overdue = now - last_trim_ >= busy_interval;
  last_seen_ = now_open;
  if (emptied || overdue) {
    int released = malloc_trim(0);
    last_trim_ = now;
    spdlog::debug("memory trimmed connections={} released={}", now_open,
                  released != 0);
  }
  schedule();
}

}  // namespace evd::daemon
