#include "core/watch.hpp"

#include <atomic>
#include <utility>

namespace evd::core {

watch_handle watch(broadcaster& source, boost::asio::any_io_executor ex,
                   matcher accepts, watch_options opts) {
  auto stream = std::make_shared<delivery_channel>(ex, opts.channel_capacity);
  auto channel = std::make_shared<channel_sink>(stream, 0);

  // A watcher that cannot keep up is cut off rather than left to grow; the
  // closed stream is how its reader learns of it.
  std::weak_ptr<delivery_channel> weak_stream = stream;
  queue::options queue_opts;
  queue_opts.limits = opts.limits;
  queue_opts.on_full = [weak_stream] {
    if (auto s = weak_stream.lock()) s->close();
  };
  auto pending = queue::create(ex, channel, std::move(queue_opts));

  if (!accepts) accepts = [](const event&) { return true; };
  auto head = std::make_shared<filter>(pending, std::move(accepts));
  source.add(head);

  auto cancelled = std::make_shared<std::atomic<bool>>(false);
  auto cancel = [&source, head, pending, stream, cancelled] {
    if (cancelled->exchange(true)) return;
    source.remove(head);
    // Closing the channel discards what the reader has not taken yet, so
    // nothing is received after cancel, even what was already queued.
    stream->close();
    pending->close();
  };
  return {std::move(stream), std::move(cancel)};
}

}  // namespace evd::core
