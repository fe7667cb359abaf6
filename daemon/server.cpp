#include "daemon/server.hpp"

#include <thread>
#include <utility>

#include <spdlog/spdlog.h>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

namespace evd::daemon {
namespace {

namespace asio = boost::asio;

// How often a draining server checks whether every session has ended.
constexpr std::chrono::milliseconds drain_poll{20};

}  // namespace

server::server(config cfg)
    : config_(std::move(cfg)),
      control_(asio::make_strand(io_)),
      signals_(io_, SIGINT, SIGTERM),
      drain_timer_(control_) {
  for (const auto& where : config_.listen) {
    listeners_.push_back(std::make_unique<listener>(io_, where));
  }
}

void server::run() {
  for (auto& l : listeners_) {
    auto on_accept = [this](listener::socket_type socket,
                            listener::strand_type strand, std::string peer) {
      accept(std::move(socket), std::move(strand), std::move(peer));
    };
    asio::co_spawn(control_, l->accept_loop(on_accept), asio::detached);
    spdlog::info("listening on {}", l->bound().to_string());
  }
  wait_for_signal();

  unsigned threads = config_.threads;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  spdlog::info("evd ready threads={}", threads);

  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i)
    pool.emplace_back([this] { io_.run(); });
  io_.run();
  for (auto& t : pool) t.join();
  spdlog::info("evd stopped last_seq={}", broker_.last_seq());
}

void server::accept(listener::socket_type socket, listener::strand_type strand,
                    std::string peer) {
  if (stopping_) return;  // the socket closes as it goes out of scope
  std::uint64_t id = next_session_id_++;
  auto s = std::make_shared<session>(std::move(socket), std::move(strand),
                                     broker_, config_, id, std::move(peer));
  {
    std::lock_guard lock(sessions_mutex_);
    if (sessions_.size() >= sweep_at_) {
      std::erase_if(sessions_,
                    [](const auto& kv) { return kv.second.expired(); });
      sweep_at_ = std::max<std::size_t>(1024, 2 * sessions_.size());
    }
    sessions_.emplace(id, s);
  }
  s->start();
}

void server::wait_for_signal() {
  signals_.async_wait(asio::bind_executor(
      control_, [this](boost::system::error_code ec, int signal) {
        if (ec) return;
        begin_shutdown(signal);
      }));
}

std::vector<std::shared_ptr<session>> server::live_sessions() {
  std::vector<std::shared_ptr<session>> live;
  std::lock_guard lock(sessions_mutex_);
  for (auto& [id, weak] : sessions_) {
    if (auto s = weak.lock()) live.push_back(std::move(s));
  }
  return live;
}

// First signal: drain. A second signal while draining cuts every session
// off at once.
void server::begin_shutdown(int signal) {
  if (stopping_) {
    spdlog::warn("second signal, closing every session signal={}", signal);
    for (auto& s : live_sessions()) s->abort(close_reason::drain_timeout);
    return;
  }
  stopping_ = true;
  auto sessions = live_sessions();
  spdlog::info("shutting down signal={} sessions={} drain_timeout_ms={}",
               signal, sessions.size(), config_.drain_timeout.count());

  for (auto& l : listeners_) l->close();
  // Closing the broker closes every subscription's queue, which flushes;
  // each session then writes what it holds and says goodbye.
  broker_.close();
  for (auto& s : sessions) s->shutdown();

  drain_deadline_ = std::chrono::steady_clock::now() + config_.drain_timeout;
  wait_for_signal();
  watch_drain();
}

void server::watch_drain() {
  auto sessions = live_sessions();
  if (sessions.empty()) {
    signals_.cancel();  // nothing left: let io_context::run return
    return;
  }
  if (std::chrono::steady_clock::now() >= drain_deadline_) {
    spdlog::warn("drain timeout, closing sessions={}", sessions.size());
    for (auto& s : sessions) s->abort(close_reason::drain_timeout);
  }
  drain_timer_.expires_after(drain_poll);
  drain_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) watch_drain();
  });
}

}  // namespace evd::daemon
