#include "daemon/session.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <charconv>
#include <span>
#include <utility>

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "daemon/logging.hpp"
#include "daemon/metrics.hpp"
#include "proto/line_splitter.hpp"
#include "proto/reply.hpp"

namespace evd::daemon {
namespace {

namespace asio = boost::asio;
constexpr auto as_result = asio::as_tuple(asio::use_awaitable);

// Bytes read per system call, into a buffer of the I/O thread rather than
// of the connection: an idle connection waits for readability holding no
// read buffer at all, which is most of what it would otherwise cost.
constexpr std::size_t read_chunk = 64 * 1024;

// Reads what the socket holds now into the calling thread's buffer. The
// bytes are valid until the thread's next call, so the caller consumes
// them before it next suspends. would_block means the readiness was
// spurious.
std::pair<boost::system::error_code, std::string_view> read_ready(
    session::socket_type& socket) {
  thread_local std::array<char, read_chunk> chunk;
  boost::system::error_code ec;
  std::size_t n = socket.read_some(asio::buffer(chunk), ec);
  return {ec, std::string_view(chunk.data(), n)};
}

// Deliveries gathered into one write.
constexpr std::size_t max_batch = 256;

using frame_list = std::vector<std::pair<std::size_t, const core::event*>>;

// Counts a finished write: its bytes, and each event it delivered.
void note_written(std::size_t bytes, const frame_list& frames) {
  auto& m = process_metrics();
  m.sent(bytes);
  for (const auto& f : frames) {
    if (f.second) m.delivered(*f.second);  // null: a loss report
  }
}

}  // namespace

session::session(socket_type socket, strand_type strand, broker& hub,
                 const std::atomic<const config*>& live_config,
                 std::atomic<std::size_t>& connections, std::uint64_t id,
                 std::string peer)
    : socket_(std::move(socket)),
      strand_(std::move(strand)),
      broker_(hub),
      live_config_(live_config),
      connections_(connections),
      name_("conn=" + std::to_string(id) + " peer=" + peer),
      channel_(std::make_shared<core::delivery_channel>(
          strand_, settings().channel_capacity)),
      reply_room_(strand_),
      write_timer_(strand_) {}

void session::start() {
  spdlog::debug("session opened {}", name_);
  auto on_exit = [self = shared_from_this()](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      spdlog::error("session failed {} what={}", self->name_,
                    log_value(ex.what()));
    }
    self->close(close_reason::internal_error);
  };
  asio::co_spawn(strand_, read_loop(), on_exit);
  asio::co_spawn(strand_, write_loop(), on_exit);
}

void session::shutdown() {
  asio::post(strand_, [self = shared_from_this()] {
    self->finish(close_reason::shutdown);
  });
}

void session::abort(close_reason why) {
  asio::post(strand_, [self = shared_from_this(), why] { self->close(why); });
}

asio::awaitable<void> session::read_loop() {
  auto self = shared_from_this();
  // Fixed for the connection's life: the splitter's buffer is sized by it.
  const std::size_t max_line_bytes = settings().max_line_bytes;
  proto::line_splitter lines(max_line_bytes);
  // Reads never block the thread: with nothing to read, read_ready says
  // would_block and the loop waits for readability, holding no buffer.
  socket_.non_blocking(true);

  for (;;) {
    auto [ec, bytes] = read_ready(socket_);
    if (ec == asio::error::would_block) {
      lines.release_idle_buffer();
      auto [wait_ec] =
          co_await socket_.async_wait(socket_type::wait_read, as_result);
      if (finishing_ || closed_) co_return;
      if (!wait_ec) continue;
      ec = wait_ec;
    }
    if (ec == asio::error::eof) {
      // A last line without its newline still counts: many tools omit it.
      if (lines.pending() > 0) lines.append("\n");
    } else if (ec) {
      close(close_reason::read_error);
      co_return;
    } else {
      lines.append(bytes);
      process_metrics().received(bytes.size());
    }

    std::string_view line;
    for (;;) {
      auto status = lines.next(line);
      if (status == proto::line_splitter::status::need_more) break;
      if (status == proto::line_splitter::status::too_long) {
        send(proto::error(nullptr, proto::wire_error::line_too_long,
                          "max_line_bytes: a line may be at most " +
                              std::to_string(max_line_bytes) +
                              " bytes; closing the connection"));
        finish(close_reason::line_too_long);
        co_return;
      }
      handle_line(line);
      if (finishing_ || closed_) co_return;
    }

    if (ec == asio::error::eof) {
      finish(close_reason::client_done);
      co_return;
    }
    co_await wait_for_reply_room();
    // A client with more to send would otherwise keep this thread from
    // every other connection; an asynchronous read yields here too.
    co_await asio::post(strand_, asio::use_awaitable);
    if (finishing_ || closed_) co_return;
  }
}

// Backpressure on requests: a client that sends faster than it reads its
// replies is not read from until the writer catches up.
asio::awaitable<void> session::wait_for_reply_room() {
  while (replies_.size() > settings().max_pending_reply_bytes && !finishing_ &&
         !closed_) {
    reply_room_.expires_at(asio::steady_timer::time_point::max());
    co_await reply_room_.async_wait(as_result);
  }
}

asio::awaitable<void> session::write_loop() {
  auto self = shared_from_this();
  std::vector<core::delivery> batch;
  std::string replies;
  std::string heads;  // frame heads of this batch, back to back
  std::vector<std::pair<std::size_t, const core::event*>> frames;
  std::vector<asio::const_buffer> buffers;

  auto keep = [&](core::error_code ec, core::delivery d) {
    if (!ec && (d.event || !d.lost.empty())) batch.push_back(std::move(d));
  };

  for (;;) {
    if (closed_) co_return;
    if (replies_.empty()) {
      bool done =
          finishing_ && (finish_reason_ != close_reason::shutdown || drained());
      if (done) break;
      auto [ec, d] = co_await channel_->async_receive(as_result);
      if (ec) co_return;  // the channel closes only when the session does
      keep(ec, std::move(d));
    }
    while (batch.size() < max_batch && channel_->try_receive(keep)) {
    }
    replies.swap(replies_);
    reply_room_.cancel();

    // Replies go first: a subscription's ok precedes its first event.
    // Deliveries of subscriptions that ended since are skipped here, so no
    // event follows an unsub's ok. A loss report is a whole frame in
    // `heads`, with no event after it.
    heads.clear();
    frames.clear();
    for (const auto& d : batch) {
      auto it = subs_.find(d.token);
      if (it == subs_.end()) continue;
      std::size_t start = heads.size();
      if (!d.event) {
        process_metrics().dropped(drop_reason::overflow, d.lost.count);
        it->second->losses_reported += d.lost.count;
        heads += proto::dropped(it->second->name, d.lost.count,
                                d.lost.first_seq, d.lost.last_seq);
        frames.emplace_back(start, nullptr);
        continue;
      }
      ++it->second->written;
      heads += it->second->frame_head;
      std::array<char, 24> digits;
      auto [end, _] =
          std::to_chars(digits.begin(), digits.end(), d.event->seq());
      heads.append(digits.data(), end);
      heads += proto::event_frame_middle;
      frames.emplace_back(start, d.event.get());
    }

    buffers.clear();
    if (!replies.empty()) buffers.push_back(asio::buffer(replies));
    for (std::size_t i = 0; i < frames.size(); ++i) {
      std::size_t start = frames[i].first;
      std::size_t end =
          i + 1 < frames.size() ? frames[i + 1].first : heads.size();
      buffers.push_back(asio::buffer(heads.data() + start, end - start));
      if (!frames[i].second) continue;
      buffers.push_back(asio::buffer(frames[i].second->json()));
      buffers.push_back(asio::buffer(proto::event_frame_tail));
    }

    if (!buffers.empty()) {
      std::size_t n = asio::buffer_size(buffers);
      core::error_code ec = co_await write_all(buffers);
      if (closed_) co_return;
      if (ec) {
        close(close_reason::write_error);
        co_return;
      }
      note_written(n, frames);
    }
    batch.clear();
    replies.clear();
  }

  if (finish_reason_ == close_reason::shutdown) {
    std::string bye = proto::closed("", "shutdown");
    co_await asio::async_write(socket_, asio::buffer(bye), as_result);
  }
  close(finish_reason_);
}

// Writes every buffer, one write_some at a time, so that the timeout
// measures a stall rather than the length of a large batch. Consumes
// `buffers`.
asio::awaitable<core::error_code> session::write_all(
    std::vector<asio::const_buffer>& buffers) {
  std::size_t first = 0;
  while (first < buffers.size()) {
    arm_write_timer();
    std::span<const asio::const_buffer> rest(buffers.data() + first,
                                             buffers.size() - first);
    auto [ec, n] = co_await socket_.async_write_some(rest, as_result);
    writing_ = false;
    write_timer_.cancel();
    if (ec) co_return ec;
    for (; n > 0 && first < buffers.size(); ++first) {
      if (n < buffers[first].size()) {
        buffers[first] += n;
        break;
      }
      n -= buffers[first].size();
    }
  }
  co_return core::error_code{};
}

// Closes the session unless the write now starting completes within the
// write timeout. The attempt number tells a timer that fired as its write
// completed (its handler already queued) that it is stale.
void session::arm_write_timer() {
  writing_ = true;
  std::uint64_t attempt = ++write_attempt_;
  write_timer_.expires_after(settings().write_timeout);
  write_timer_.async_wait(
      [self = shared_from_this(), attempt](core::error_code ec) {
        if (ec || !self->writing_ || self->write_attempt_ != attempt) return;
        self->close(close_reason::write_timeout);
      });
}

void session::handle_line(std::string_view line) {
  SPDLOG_TRACE("request {} line={}", name_, line);
  auto parsed = proto::parse_request(line);
  if (auto* bad = std::get_if<proto::request_error>(&parsed)) {
    spdlog::debug("request refused {} code={}", name_,
                  proto::to_string(bad->code));
    send(proto::error(bad->id, bad->code, bad->message));
    return;
  }
  auto& req = std::get<proto::request>(parsed);
  std::visit([&](auto& body) { handle(req.id, body); }, req.body);
}

void session::handle(const nlohmann::json& id, proto::publish_request& req) {
  const std::size_t max_event_bytes = settings().max_event_bytes;
  if (req.bytes.size() > max_event_bytes) {
    send(proto::error(id, proto::wire_error::limit_exceeded,
                      "max_event_bytes: an event may be at most " +
                          std::to_string(max_event_bytes) + " bytes"));
    return;
  }
  std::uint64_t seq =
      broker_.publish(std::move(req.event), std::move(req.bytes));
  if (seq == 0) {
    send(proto::error(id, proto::wire_error::shutting_down,
                      "evd is shutting down"));
    return;
  }
  if (!id.is_null()) send(proto::ok_published(id, seq));
}

void session::handle(const nlohmann::json& id, proto::subscribe_request& req) {
  if (tokens_by_name_.contains(req.sub)) {
    send(proto::error(id, proto::wire_error::duplicate_sub,
                      "subscription '" + req.sub + "' already exists"));
    return;
  }
  // One configuration for the whole request, however a reload races it.
  const config& cfg = settings();
  if (subs_.size() >= cfg.max_subscriptions_per_connection) {
    send(proto::error(id, proto::wire_error::limit_exceeded,
                      "max_subs_per_conn: a connection may hold " +
                          std::to_string(cfg.max_subscriptions_per_connection) +
                          " subscriptions"));
    return;
  }
  core::queue_limits limits = cfg.subscription_queue;
  if (refuse_queue_bounds(id, req, cfg, limits)) return;
  std::string why;
  auto rules = match::filter::compile_list(req.filters, why);
  if (!rules) {
    send(proto::error(id, proto::wire_error::invalid_filter, why));
    return;
  }

  std::uint64_t token = next_token_++;
  // A full queue is reported on a publisher's thread, inside the
  // broadcaster: hop to the strand before touching the session.
  auto on_full = [weak = weak_from_this(), strand = strand_, token] {
    asio::post(strand, [weak, token] {
      if (auto self = weak.lock())
        self->end_subscription(token, drop_reason::slow_consumer);
    });
  };
  auto sub = std::make_unique<subscription>(
      req.sub, token, std::move(*rules), strand_, channel_, limits,
      req.policy.value_or(core::overflow_policy::refuse), std::move(on_full));
  // The replay is queued now but forwarded only after this handler
  // returns (the queue forwards on this strand), so the ok below still
  // precedes the subscription's first event.
  // A replay counts against the connection's budget like a queue bound.
  std::size_t budget = cfg.max_connection_queue_bytes;
  std::size_t reserved = reserved_queue_bytes_ + limits.max_bytes;
  replay_start start = broker_.subscribe(
      *sub, req.since, budget > reserved ? budget - reserved : 0);
  if (start.replay_too_large) {
    send(proto::error(
        id, proto::wire_error::limit_exceeded,
        "max_conn_queue_bytes: a replay of " +
            std::to_string(start.replay_bytes) +
            " bytes with the connection's queue bounds would pass " +
            std::to_string(budget) + "; ask for a later since"));
    return;
  }
  if (start.ec) {
    send(proto::error(id, proto::wire_error::shutting_down,
                      "evd is shutting down"));
    return;
  }
  sub->replay_reserved = start.replay_bytes;
  spdlog::debug(
      "subscribed {} sub={} since={} truncated={}", name_, log_value(req.sub),
      req.since ? std::to_string(*req.since) : "now", start.truncated);
  reserved_queue_bytes_ += limits.max_bytes + start.replay_bytes;
  tokens_by_name_.emplace(req.sub, token);
  subs_.emplace(token, std::move(sub));
  if (start.truncated) {
    send(proto::ok_subscribed_truncated(id, req.sub, start.first_seq));
  } else {
    send(proto::ok_subscribed(id, req.sub));
  }
}

// Applies a sub request's own queue bounds to `limits`; answers and
// returns true when they pass a ceiling or the connection's budget.
bool session::refuse_queue_bounds(const nlohmann::json& id,
                                  const proto::subscribe_request& req,
                                  const config& cfg,
                                  core::queue_limits& limits) {
  const auto& ceiling = cfg.subscription_queue_ceiling;
  auto refuse = [&](const std::string& message) {
    send(proto::error(id, proto::wire_error::limit_exceeded, message));
    return true;
  };
  if (req.max_events) {
    if (*req.max_events > ceiling.max_events) {
      return refuse("queue_ceiling_events: max_events may be at most " +
                    std::to_string(ceiling.max_events));
    }
    limits.max_events = *req.max_events;
  }
  if (req.max_bytes) {
    if (*req.max_bytes > ceiling.max_bytes) {
      return refuse("queue_ceiling_bytes: max_bytes may be at most " +
                    std::to_string(ceiling.max_bytes));
    }
    limits.max_bytes = *req.max_bytes;
  }
  if (reserved_queue_bytes_ + limits.max_bytes >
      cfg.max_connection_queue_bytes) {
    return refuse(
        "max_conn_queue_bytes: the max_bytes of a connection's "
        "subscriptions may add up to at most " +
        std::to_string(cfg.max_connection_queue_bytes));
  }
  return false;
}

void session::handle(const nlohmann::json& id,
                     proto::unsubscribe_request& req) {
  auto it = tokens_by_name_.find(req.sub);
  if (it == tokens_by_name_.end()) {
    send(proto::error(id, proto::wire_error::unknown_sub,
                      "no subscription named '" + req.sub + "'"));
    return;
  }
  sub_counts counts = end_subscription(it->second, drop_reason::unsubscribed);
  send(proto::ok_unsubscribed(id, counts.delivered, counts.dropped));
}

void session::handle(const nlohmann::json& id, proto::ping_request&) {
  send(proto::pong(id));
}

void session::handle(const nlohmann::json& id, proto::stats_request&) {
  auto figures = to_json(process_metrics().snapshot(broker_));
  figures["connection"] = connection_figures();
  send(proto::stats(id, figures));
}

// This connection's share: what its subscriptions, open and ended, handed
// to the connection and lost, and each open one's backlog, by name.
nlohmann::ordered_json session::connection_figures() const {
  sub_counts total = ended_counts_;
  nlohmann::ordered_json subs = nlohmann::ordered_json::object();
  std::vector<const subscription*> open;
  for (const auto& [token, sub] : subs_) open.push_back(sub.get());
  std::sort(open.begin(), open.end(),
            [](auto* a, auto* b) { return a->token < b->token; });
  for (const subscription* sub : open) {
    sub_counts counts{sub->written, sub->pending->dropped()};
    total.delivered += counts.delivered;
    total.dropped += counts.dropped;
    subs[sub->name] = {{"delivered", counts.delivered},
                       {"dropped", counts.dropped},
                       {"queued", sub->pending->size()}};
  }
  return {{"delivered", total.delivered},
          {"dropped", total.dropped},
          {"subscriptions", std::move(subs)}};
}

void session::send(std::string frame) {
  if (closed_) return;
  replies_ += frame;
  // An empty delivery wakes a writer parked on the channel. When the
  // channel is full the writer is not parked, so a failed send is fine.
  channel_->try_send(core::error_code{}, core::delivery{});
}

// Ends one subscription: no event reaches it after this returns. One that
// evd cut off (slow_consumer) tells its client why.
session::sub_counts session::end_subscription(std::uint64_t token,
                                              drop_cause why) {
  auto it = subs_.find(token);
  if (it == subs_.end()) return {};
  auto& sub = *it->second;
  sub_counts counts = retire(sub, why);
  reserved_queue_bytes_ -= sub.limits.max_bytes + sub.replay_reserved;
  if (why == drop_cause{drop_reason::slow_consumer}) {
    spdlog::warn(
        "subscription closed {} sub={} reason={} delivered={} "
        "dropped={}",
        name_, log_value(sub.name), to_string(why), counts.delivered,
        counts.dropped);
    send(proto::closed(sub.name, to_string(why)));
  } else {
    spdlog::debug("unsubscribed {} sub={} reason={} delivered={} dropped={}",
                  name_, log_value(sub.name), to_string(why), counts.delivered,
                  counts.dropped);
  }
  tokens_by_name_.erase(sub.name);
  subs_.erase(it);
  return counts;
}

// Takes `sub` off the broker and throws away what it still holds; its
// counts are final afterwards. Every event it matched and did not write is
// dropped, and counted here unless the writer already counted it in a
// dropped notice: events its policy refused or threw away under that
// policy; its backlog, and what it had handed to the connection that the
// writer will now skip, under `why`.
// Known gap: an event whose handover to the connection is still under way
// when the subscription ends counts as neither delivered nor dropped.
session::sub_counts session::retire(subscription& sub, drop_cause why) {
  broker_.unsubscribe(sub.head);
  // What is still queued would only be skipped by the writer, and so is
  // what waits in the channel.
  std::uint64_t thrown = sub.pending->abandon();
  // The queue counts a handover as it completes, which may come after the
  // writer took the event: forwarded() can trail `written`.
  std::uint64_t handed = sub.pending->forwarded();
  if (handed > sub.written) thrown += handed - sub.written;
  std::uint64_t lost = sub.pending->dropped();
  assert(sub.losses_reported <= lost);

  auto& m = process_metrics();
  m.dropped(why, thrown);
  m.dropped(sub.policy == core::overflow_policy::refuse
                ? drop_reason::slow_consumer
                : drop_reason::overflow,
            lost - sub.losses_reported);
  m.queue_ended(sub.pending->high_water());

  sub_counts counts{sub.written, lost + thrown};
  ended_counts_.delivered += counts.delivered;
  ended_counts_.dropped += counts.dropped;
  return counts;
}

// Stops reading and lets the writer flush before closing. On shutdown the
// subscriptions stay until their queues drain (the broker closed them, so
// nothing new arrives); otherwise they end now.
void session::finish(close_reason why) {
  if (finishing_ || closed_) return;
  finishing_ = true;
  finish_reason_ = why;
  if (why != close_reason::shutdown) {
    while (!subs_.empty()) end_subscription(subs_.begin()->first, why);
  }
  core::error_code ignored;
  socket_.shutdown(socket_type::shutdown_receive, ignored);
  reply_room_.cancel();
  channel_->try_send(core::error_code{}, core::delivery{});
}

bool session::drained() const {
  if (channel_->ready()) return false;
  for (const auto& [token, sub] : subs_) {
    if (!sub->pending->idle()) return false;
  }
  return true;
}

void session::close(close_reason why) {
  if (closed_) return;
  closed_ = true;
  process_metrics().connection_closed();
  --connections_;
  for (auto& [token, sub] : subs_) retire(*sub, why);
  subs_.clear();
  tokens_by_name_.clear();
  // Cancel first: in Asio 1.81 close() alone leaves senders parked on a
  // full channel (queues forwarding to this session) waiting forever.
  channel_->cancel();
  channel_->close();
  reply_room_.cancel();
  write_timer_.cancel();

  core::error_code ignored;
  socket_.shutdown(socket_type::shutdown_both, ignored);
  socket_.close(ignored);
  // Only a client evd cut off is worth an operator's attention.
  bool cut_off = why == close_reason::drain_timeout ||
                 why == close_reason::forced_shutdown ||
                 why == close_reason::line_too_long ||
                 why == close_reason::write_timeout;
  spdlog::log(cut_off ? spdlog::level::warn : spdlog::level::debug,
              "session closed {} reason={} delivered={} dropped={}", name_,
              to_string(why), ended_counts_.delivered, ended_counts_.dropped);
}

}  // namespace evd::daemon
