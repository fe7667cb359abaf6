// Test helpers for core/: a sink that records what reaches it (optionally
// slow or failing), tagged events, and bounded ways to run an io_context.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/sink.hpp"

namespace evd::core::testing {

using namespace std::chrono_literals;

// An event that says who wrote it and where it sits in that writer's run.
inline event_ptr make_event(int writer, int n) {
  return event::make({{"writer", writer}, {"n", n}});
}

inline int writer_of(const event& ev) { return ev.doc().at("writer"); }
inline int n_of(const event& ev) { return ev.doc().at("n"); }

// Records every event it takes and its close, in one log, so tests can
// check order. Thread-safe.
class recording_sink : public sink {
 public:
  struct options {
    // How long async_write waits on a timer before taking the event.
    std::chrono::steady_clock::duration delay{};
    // Answers each attempt; a non-empty code refuses the event.
    std::function<error_code(const event&)> answer;
  };

  recording_sink() = default;
  explicit recording_sink(options opts) : options_(std::move(opts)) {}

  error_code write(const event_ptr& ev) override {
    std::lock_guard lock(mutex_);
    ++attempts_;
    if (closed_) return errc::sink_closed;
    if (options_.answer) {
      if (error_code ec = options_.answer(*ev)) return ec;
    }
    events_.push_back(ev);
    log_.push_back("event " + std::to_string(n_of(*ev)));
    changed_.notify_all();
    return {};
  }

  boost::asio::awaitable<error_code> async_write(event_ptr ev) override {
    if (options_.delay > std::chrono::steady_clock::duration::zero()) {
      boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor,
                                      options_.delay);
      co_await timer.async_wait(
          boost::asio::as_tuple(boost::asio::use_awaitable));
    }
    co_return write(ev);
  }

  // Logs "lost <count> <first>-<last>".
  boost::asio::awaitable<error_code> async_report_loss(
      loss_report lost) override {
    std::lock_guard lock(mutex_);
    log_.push_back("lost " + std::to_string(lost.count) + " " +
                   std::to_string(lost.first_seq) + "-" +
                   std::to_string(lost.last_seq));
    changed_.notify_all();
    co_return error_code{};
  }

  error_code close() override {
    std::lock_guard lock(mutex_);
    if (closed_) return errc::sink_closed;
    closed_ = true;
    log_.push_back("close");
    changed_.notify_all();
    return {};
  }

  std::vector<event_ptr> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }

  std::size_t count() const {
    std::lock_guard lock(mutex_);
    return events_.size();
  }

  std::size_t attempts() const {
    std::lock_guard lock(mutex_);
    return attempts_;
  }

  bool closed() const {
    std::lock_guard lock(mutex_);
    return closed_;
  }

  // "event <n>" for each event taken, "lost ..." for each loss report and
  // "close", in the order they came.
  std::vector<std::string> log() const {
    std::lock_guard lock(mutex_);
    return log_;
  }

  // Waits, from a thread that is not running the sink's executor, until
  // `n` events arrived. Returns false if `limit` passes first.
  bool wait_for_count(std::size_t n, std::chrono::milliseconds limit) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, limit, [&] { return events_.size() >= n; });
  }

 private:
  options options_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<event_ptr> events_;
  std::vector<std::string> log_;
  std::size_t attempts_ = 0;
  bool closed_ = false;
};

// A recording sink whose async_write takes `delay` per event.
inline std::shared_ptr<recording_sink> slow_sink(
    std::chrono::steady_clock::duration delay) {
  recording_sink::options opts;
  opts.delay = delay;
  return std::make_shared<recording_sink>(std::move(opts));
}

// Runs `io` on this thread until `done()` holds or `limit` passes; returns
// whether `done()` held. A hang fails instead of stalling.
template <typename Predicate>
bool run_until(boost::asio::io_context& io, Predicate done,
               std::chrono::milliseconds limit = 5s) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    io.restart();
    if (io.run_for(1ms) == 0) std::this_thread::sleep_for(100us);
  }
  return true;
}

// The outcome of a coroutine spawned with spawn_result.
template <typename T>
struct outcome {
  bool done = false;
  T value{};
};

// Spawns `aw` on `io`, recording its result in `out` when it finishes.
template <typename T>
void spawn_result(boost::asio::io_context& io, boost::asio::awaitable<T> aw,
                  outcome<T>& out) {
  boost::asio::co_spawn(io, std::move(aw),
                        [&out](std::exception_ptr e, T value) {
                          if (e) std::rethrow_exception(e);
                          out.value = std::move(value);
                          out.done = true;
                        });
}

}  // namespace evd::core::testing
