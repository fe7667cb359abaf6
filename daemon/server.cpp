#include "daemon/server.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <thread>
#include <utility>

#include <spdlog/spdlog.h>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/write.hpp>

#include "proto/reply.hpp"

#include "daemon/logging.hpp"
#include "daemon/metrics.hpp"
#include "daemon/options.hpp"
#include "daemon/socket_activation.hpp"

namespace evd::daemon {
namespace {

namespace asio = boost::asio;

// How often a draining server checks whether every session has ended.
constexpr std::chrono::milliseconds drain_poll{20};

// Keys a reload cannot apply: they shape sockets, threads and the history,
// all made once.
bool needs_restart(const std::string& key) {
  return key == "listen" || key == "threads" || key == "http-listen" ||
         key == "history-max-events" || key == "history-max-bytes";
}

std::string joined(const std::vector<std::string>& keys) {
  std::string out;
  for (const auto& k : keys) out += (out.empty() ? "" : ",") + k;
  return out.empty() ? "none" : out;
}

}  // namespace

server::server(config cfg, reload_function reload)
    : config_(std::move(cfg)),
      reload_(std::move(reload)),
      control_(asio::make_strand(io_)),
      signals_(io_, SIGINT, SIGTERM, SIGHUP),
      drain_timer_(control_),
      broker_(config_.history),
      notifier_(control_, [this] { return status(); }),
      trimmer_(control_, connections_) {
  generations_.push_back(config_);
  live_config_.store(&generations_.back(), std::memory_order_release);
  auto passed = take_activated_sockets();
  if (!passed.empty()) {
    // systemd decided where to listen (evd.socket); --listen is for
    // starting evd by hand.
    for (int fd : passed) {
      listeners_.push_back(std::make_unique<listener>(io_, fd));
    }
  } else {
    for (const auto& where : config_.listen) {
      listeners_.push_back(
          std::make_unique<listener>(io_, where, config_.unix_socket));
    }
  }
  if (!config_.http_listen.empty()) {
    http_endpoint::handlers h{
        [this] {
          return render_prometheus(process_metrics().snapshot(broker_));
        },
        [this] { return ready_.load(); }};
    http_ =
        std::make_unique<http_endpoint>(io_, config_.http_listen, std::move(h));
  }
}

// Each connection costs a descriptor; past the process's limit accepts
// fail (the listeners back off) and clients wait unserved, well before
// max-connections refuses them with a reason. Said once, at start.
void server::warn_if_descriptors_short() const {
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) != 0) return;
  // Listeners, the HTTP endpoint, journald and the like.
  constexpr rlim_t spare = 64;
  if (files.rlim_cur != RLIM_INFINITY &&
      files.rlim_cur < config_.max_connections + spare) {
    spdlog::warn(
        "descriptor limit below max-connections nofile={} "
        "max_connections={}; raise LimitNOFILE= or ulimit -n",
        files.rlim_cur, config_.max_connections);
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
  if (http_) {
    asio::co_spawn(control_, http_->accept_loop(), asio::detached);
    spdlog::info("http listening on {}", http_->bound());
  }
  wait_for_signal();
  trimmer_.start();
  warn_if_descriptors_short();

  unsigned threads = config_.threads;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  // Every listener is listening, so connections queue from here on even
  // before a thread accepts them.
  ready_ = true;
  notifier_.ready();
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
  if (connections_.load() >= config_.max_connections) {
    refuse(socket, peer);
    return;
  }
  ++connections_;
  std::uint64_t id = next_session_id_++;
  process_metrics().connection_opened();
  auto s = std::make_shared<session>(std::move(socket), std::move(strand),
                                     broker_, live_config_, connections_, id,
                                     std::move(peer));
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

// Tells a client over the connection limit why and lets the socket close.
// The line is short and the socket new, so the kernel takes it at once; a
// blocking write cannot stall the control strand.
void server::refuse(listener::socket_type& socket, const std::string& peer) {
  // Rate-limited: a client can trigger this at will.
  if (refused_connections_++ % 1000 == 0) {
    spdlog::warn(
        "connection refused peer={} reason=max_connections "
        "refused_so_far={}",
        peer, refused_connections_);
  }
  std::string line = proto::error(nullptr, proto::wire_error::limit_exceeded,
                                  "max_connections: evd serves at most " +
                                      std::to_string(config_.max_connections) +
                                      " connections");
  boost::system::error_code ignored;
  asio::write(socket, asio::buffer(line), ignored);
  socket.shutdown(listener::socket_type::shutdown_both, ignored);
}

void server::wait_for_signal() {
  signals_.async_wait(asio::bind_executor(
      control_, [this](boost::system::error_code ec, int signal) {
        if (ec) return;
        if (signal != SIGHUP) {
          begin_shutdown(signal);
        } else {
          if (!stopping_) reload();
          wait_for_signal();
        }
      }));
}

// Applies what can change live, keeps the running values of what cannot,
// and logs both. A file that does not parse changes nothing.
void server::reload() {
  notifier_.reloading();
  std::string error;
  auto next = reload_ ? reload_(error) : std::nullopt;
  if (!next) {
    spdlog::error("reload failed, configuration unchanged error=\"{}\"", error);
    notifier_.reloaded();
    return;
  }

  std::vector<std::string> live, restart;
  for (auto& key : changed_keys(config_, *next)) {
    (needs_restart(key) ? restart : live).push_back(key);
  }
  apply_logging(next->log_level, next->log_style);
  if (!(next->unix_socket == config_.unix_socket)) {
    for (auto& l : listeners_) {
      try {
        l->set_access(next->unix_socket);
      } catch (const std::exception& e) {
        spdlog::error("reload cannot apply socket access what=\"{}\"",
                      e.what());
      }
    }
  }
  next->listen = config_.listen;
  next->threads = config_.threads;
  next->http_listen = config_.http_listen;
  next->history = config_.history;
  config_ = std::move(*next);
  generations_.push_back(config_);
  live_config_.store(&generations_.back(), std::memory_order_release);

  spdlog::info("configuration reloaded changed={} needs_restart={}",
               joined(live), joined(restart));
  notifier_.reloaded();
}

std::string server::status() const {
  auto s = process_metrics().snapshot(broker_);
  return (stopping_ ? "draining" : "serving") + std::string(" connections=") +
         std::to_string(s.connections) +
         " subscriptions=" + std::to_string(s.subscriptions) +
         " published=" + std::to_string(s.published);
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
    for (auto& s : live_sessions()) s->abort(close_reason::forced_shutdown);
    return;
  }
  stopping_ = true;
  ready_ = false;
  notifier_.stopping();
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
    drained();
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

// Nothing left to serve: cancel what would keep io_context::run going.
void server::drained() {
  signals_.cancel();
  notifier_.stop();
  trimmer_.stop();
  if (http_) http_->close();
}

}  // namespace evd::daemon
