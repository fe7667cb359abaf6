#include "daemon/subscription.hpp"

#include <utility>

#include "proto/reply.hpp"

namespace evd::daemon {

subscription::subscription(std::string name_, std::uint64_t token_,
                           match::filter rules_,
                           boost::asio::any_io_executor ex,
                           std::shared_ptr<core::delivery_channel> channel,
                           core::queue_limits limits_,
                           core::overflow_policy policy_,
                           std::function<void()> on_full)
    : name(std::move(name_)),
      token(token_),
      frame_head(proto::event_frame_head(name)),
      limits(limits_),
      policy(policy_),
      rules(std::make_shared<const match::filter>(std::move(rules_))) {
  // The channel belongs to the connection: closing one subscription must
  // not close it for the others.
  auto out = std::make_shared<core::channel_sink>(
      std::move(channel), token, core::channel_sink::ownership::shared);

  core::queue::options opts;
  opts.limits = limits_;
  opts.on_overflow = policy_;
  opts.on_full = std::move(on_full);
  pending = core::queue::create(std::move(ex), std::move(out), std::move(opts));

  head = std::make_shared<core::filter>(pending,
                                        [rules = rules](const core::event& ev) {
                                          return rules->matches(ev.doc());
                                        });
}

}  // namespace evd::daemon
