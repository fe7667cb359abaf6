#include "bench/runner.hpp"

#include <algorithm>
#include <exception>
#include <memory>
#include <thread>

#include <sys/resource.h>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "bench/publisher.hpp"
#include "bench/pump.hpp"
#include "bench/server_memory.hpp"
#include "bench/subscriber.hpp"

namespace evd::bench {
namespace {

namespace asio = boost::asio;
using clock = std::chrono::steady_clock;

std::string describe(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    return ex.what();
  } catch (...) {
    return "unknown exception";
  }
}

constexpr std::string_view topic = event_type;

// User and system time this process has used so far.
std::chrono::duration<double> cpu_used() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6;
  };
  return std::chrono::duration<double>(seconds(usage.ru_utime) +
                                       seconds(usage.ru_stime));
}

std::string subscriber_name(std::size_t i) {
  return "bench-" + std::to_string(i);
}

// Read buffers for all subscribers together: 10000 idle connections must
// not take 256 KiB each.
constexpr std::size_t read_budget = 64 << 20;

std::size_t read_chunk(unsigned connections) {
  return std::clamp<std::size_t>(read_budget / std::max(connections, 1u),
                                 16 << 10, 256 << 10);
}

// Decoy connection `conn`'s share of `opts.decoys`, named and filtered so
// that no bench event matches.
std::vector<subscription> decoy_specs(const run_options& opts, unsigned conn) {
  std::vector<subscription> specs;
  for (unsigned i = conn; i < opts.decoys; i += opts.decoy_conns) {
    specs.push_back({"decoy-" + std::to_string(i), "decoy." + std::to_string(i),
                     nullptr, true});
  }
  return specs;
}

// Drives one run. Its members belong to `main_`; the connections run on
// their own strands and are reached only through their thread-safe calls
// until io_context::run() has returned.
class bench_run {
 public:
  bench_run(asio::io_context& io, const run_options& opts,
            const proto::address& where)
      : io_(io),
        opts_(opts),
        where_(where),
        wire_(make_wire(opts.broker)),
        main_(asio::make_strand(io)),
        deadline_(main_) {}

  void start() {
    deadline_.expires_after(opts_.timeout);
    deadline_.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      timed_out_ = true;
      stop_all("timed out");
    });
    spawn(main_, setup(), [this](std::exception_ptr e) {
      if (e) stop_all("setup failed");
    });
  }

  run_result finish() const;

 private:
  // Subscribes everyone before the first publish, so every subscriber is
  // owed every event.
  asio::awaitable<void> setup() {
    rss_before_ = resident_kib(opts_.server_pid).value_or(0);
    unsigned connections = opts_.subscribers + opts_.decoy_conns;
    subscriber::options so{{},
                           opts_.events,
                           opts_.parse,
                           opts_.source.max_size() + 1024,
                           read_chunk(connections)};
    for (unsigned i = 0; i < opts_.subscribers; ++i) {
      so.name = subscriber_name(i);
      subscription spec{so.name, std::string(topic), opts_.filters};
      auto& sub = add_subscriber(subs_, so);
      co_await asio::co_spawn(sub.executor(), sub.subscribe(where_, {&spec, 1}),
                              asio::use_awaitable);
    }
    so.events = 0;
    for (unsigned i = 0; i < opts_.decoy_conns; ++i) {
      so.name = "decoy-conn-" + std::to_string(i);
      auto specs = decoy_specs(opts_, i);
      auto& decoy = add_subscriber(decoys_, so);
      co_await asio::co_spawn(decoy.executor(), decoy.subscribe(where_, specs),
                              asio::use_awaitable);
    }
    rss_idle_ = resident_kib(opts_.server_pid).value_or(0);

    auto strand = asio::make_strand(io_);
    publisher::options po{opts_.events, std::string(topic), opts_.rate,
                          opts_.window};
    pub_ = std::make_unique<publisher>(strand, *wire_, opts_.source, po,
                                       [this] { return slowest(); });
    co_await asio::co_spawn(strand, pub_->connect(where_), asio::use_awaitable);

    for (auto& sub : subs_) {
      spawn(sub->executor(), sub->read_loop(), [](std::exception_ptr) {});
    }
    spawn(strand, pub_->write_loop(), [](std::exception_ptr) {});
    spawn(strand, pub_->read_loop(), [this](std::exception_ptr, bool ok) {
      // Without the publisher nothing more will arrive.
      if (!ok) stop_all("the publisher failed");
    });
  }

  // Runs `loop` on `ex`, then `then` on main_; the run is over when every
  // loop has finished.
  template <typename T, typename Then>
  void spawn(asio::any_io_executor ex, asio::awaitable<T> loop, Then then) {
    ++running_;
    auto done = [this, then](std::exception_ptr e, auto... value) {
      if (e) failures_.push_back(describe(e));
      then(e, value...);
      if (--running_ == 0) deadline_.cancel();
    };
    asio::co_spawn(ex, std::move(loop), asio::bind_executor(main_, done));
  }

  subscriber& add_subscriber(std::vector<std::unique_ptr<subscriber>>& to,
                             const subscriber::options& so) {
    return *to.emplace_back(
        std::make_unique<subscriber>(asio::make_strand(io_), *wire_, so));
  }

  std::uint64_t slowest() const {
    std::uint64_t least = opts_.events;
    for (const auto& sub : subs_) least = std::min(least, sub->progress());
    return least;
  }

  void stop_all(const std::string& why) {
    for (auto& sub : subs_) sub->stop(why);
    if (pub_) pub_->stop(why);
  }

  asio::io_context& io_;
  const run_options& opts_;
  proto::address where_;
  std::unique_ptr<wire> wire_;
  asio::strand<asio::io_context::executor_type> main_;
  asio::steady_timer deadline_;
  std::vector<std::unique_ptr<subscriber>> subs_;
  std::vector<std::unique_ptr<subscriber>> decoys_;
  std::uint64_t rss_before_ = 0;
  std::uint64_t rss_idle_ = 0;
  std::unique_ptr<publisher> pub_;
  std::size_t running_ = 0;
  bool timed_out_ = false;
  std::vector<std::string> failures_;  // exceptions: setup failed, or a bug
};

run_result bench_run::finish() const {
  run_result r;
  r.timed_out = timed_out_;
  r.server_rss_before_kib = rss_before_;
  r.server_rss_idle_kib = rss_idle_;
  for (const auto& f : failures_) {
    if (!r.run_failure.empty()) r.run_failure += "; ";
    r.run_failure += f;
  }

  clock::time_point started{}, end{};
  if (pub_) {
    const auto& out = pub_->result();
    started = out.started;
    end = out.acked;
    r.publisher_failure = out.failure;
    r.publish_errors = out.errors;
    if (out.acked != clock::time_point{}) r.publishing = out.acked - started;
  }

  for (std::size_t i = 0; i < subs_.size(); ++i) {
    const tally& t = subs_[i]->result();
    r.delivered += t.received;
    r.latency.merge(t.latency);
    end = std::max(end, t.last_event);
    std::uint64_t lost = opts_.events - t.unique;
    r.lost += lost;
    r.duplicates += t.duplicates;
    r.reordered += t.reordered;
    if (lost || t.duplicates || t.reordered || t.foreign ||
        !t.failure.empty()) {
      r.problems.push_back({subscriber_name(i), t.received, lost, t.duplicates,
                            t.reordered, t.foreign, t.failure});
    }
  }
  for (const auto& decoy : decoys_) {
    std::string why = decoy->check_silent();
    if (!why.empty()) r.problems.push_back({"decoy", 0, 0, 0, 0, 0, why});
  }
  r.delivered_bytes =
      static_cast<double>(r.delivered) * opts_.source.mean_size(opts_.events);
  if (started != clock::time_point{} && end > started)
    r.elapsed = end - started;
  return r;
}

}  // namespace

bool run_result::clean() const {
  return !timed_out && run_failure.empty() && publisher_failure.empty() &&
         lost == 0 && duplicates == 0 && reordered == 0 && problems.empty();
}

run_result run_bench(const run_options& opts) {
  // The loopback relay outlives the run's connections: it is declared
  // first, so it is destroyed last.
  std::optional<pump> relay;
  proto::address where = opts.where;
  if (opts.broker == broker_kind::loopback) {
    where = relay.emplace(opts.subscribers).address();
  }

  auto cpu_before = cpu_used();
  asio::io_context io(static_cast<int>(opts.threads));
  bench_run run(io, opts, where);
  run.start();

  std::vector<std::jthread> helpers;
  for (unsigned i = 1; i < opts.threads; ++i) {
    helpers.emplace_back([&io] { io.run(); });
  }
  io.run();
  helpers.clear();  // joins
  run_result r = run.finish();
  // With --broker loopback this includes the relay's thread.
  r.client_cpu = cpu_used() - cpu_before;
  return r;
}

}  // namespace evd::bench
