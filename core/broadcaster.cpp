#include "core/broadcaster.hpp"

#include <algorithm>
#include <utility>

namespace evd::core {

error_code broadcaster::write(const event_ptr& ev) {
  std::lock_guard lock(mutex_);
  if (closed_) return errc::sink_closed;

  bool any_closed = false;
  for (auto& s : sinks_) {
    if (s->write(ev) == errc::sink_closed) {
      s.reset();
      any_closed = true;
    }
  }
  if (any_closed) std::erase(sinks_, nullptr);
  return {};
}

error_code broadcaster::add(std::shared_ptr<sink> s) {
  std::lock_guard lock(mutex_);
  if (closed_) return errc::sink_closed;
  sinks_.push_back(std::move(s));
  return {};
}

error_code broadcaster::remove(const std::shared_ptr<sink>& s) {
  std::lock_guard lock(mutex_);
  auto it = std::find(sinks_.begin(), sinks_.end(), s);
  if (it != sinks_.end()) sinks_.erase(it);
  return {};
}

error_code broadcaster::close() {
  std::vector<std::shared_ptr<sink>> sinks;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return errc::sink_closed;
    closed_ = true;
    sinks.swap(sinks_);
  }
  for (auto& s : sinks) s->close();
  return {};
}

std::size_t broadcaster::size() const {
  std::lock_guard lock(mutex_);
  return sinks_.size();
}

}  // namespace evd::core
