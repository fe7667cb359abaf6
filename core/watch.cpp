#include "core/watch.hpp"

#include <mutex>
#include <utility>

namespace evd::core {

watch_handle watch(broadcaster& source, boost::asio::any_io_executor ex,
                   matcher accepts, watch_options opts) {
  auto stream = std::make_shared<delivery_channel>(ex, opts.channel_capacity);
  auto channel = std::make_shared<channel_sink>(stream, 0);

  // A watcher that cannot keep up is cut off rather than left to grow; the
  // closed stream is how its reader learns of it. The stream is closed
  // through its sink, which also ends a forward waiting for room.
  std::weak_ptr<channel_sink> weak_channel = channel;
  queue::options queue_opts;
  queue_opts.limits = opts.limits;
  queue_opts.on_full = [weak_channel] {
    if (auto c = weak_channel.lock()) c->close();
  };
  auto pending = queue::create(ex, channel, std::move(queue_opts));

  if (!accepts) accepts = [](const event&) { return true; };
  auto head = std::make_shared<filter>(pending, std::move(accepts));
  source.add(head);

  // call_once, not a flag: a second caller must not return before the
  // first has closed the stream.
  auto once = std::make_shared<std::once_flag>();
  auto cancel = [&source, head, pending, channel, once] {
    std::call_once(*once, [&] {
      source.remove(head);
      // Closing the channel discards what the reader has not taken yet, so
      // nothing is received after cancel, even what was already queued.
      channel->close();
      pending->close();
    });
  };
  return {std::move(stream), std::move(cancel)};
}

}  // namespace evd::core
