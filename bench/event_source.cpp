#include "bench/event_source.hpp"

#include <fstream>
#include <limits>
#include <stdexcept>

#include "bench/frame.hpp"

namespace evd::bench {
namespace {

constexpr std::string_view data_key = R"("data":)";

}  // namespace

event_source::event_source(std::size_t size) : size_(size), max_size_(size) {}

event_source event_source::from_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  event_source source(0);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    source.max_size_ = std::max(source.max_size_, line.size());
    source.documents_.push_back(std::move(line));
  }
  if (source.documents_.empty()) {
    throw std::runtime_error(path + " holds no event");
  }
  source.max_size_ += wrapping(std::numeric_limits<std::uint64_t>::max(),
                               std::numeric_limits<std::int64_t>::max());
  return source;
}

std::size_t event_source::wrapping(std::uint64_t n, std::int64_t sent_ns) {
  std::string head;
  append_event_head(head, n, sent_ns);
  return head.size() + data_key.size() + 1;
}

void event_source::append(std::string& out, std::uint64_t n,
                          std::int64_t sent_ns) const {
  if (synthetic()) {
    append_event(out, size_, n, sent_ns);
    return;
  }
  append_event_head(out, n, sent_ns);
  out += data_key;
  out += documents_[n % documents_.size()];
  out += '}';
}

double event_source::mean_size(std::uint64_t events) const {
  if (synthetic() || events == 0) return static_cast<double>(size_);
  // Within one run timestamps and numbers vary in width by a digit or so;
  // the head of the last event, stamped now, stands for all.
  double total = 0;
  for (std::uint64_t n = 0; n < events && n < documents_.size(); ++n) {
    auto uses = (events - n + documents_.size() - 1) / documents_.size();
    total += static_cast<double>(documents_[n].size()) * uses;
  }
  return total / events +
         static_cast<double>(wrapping(events - 1, steady_now_ns()));
}

}  // namespace evd::bench
