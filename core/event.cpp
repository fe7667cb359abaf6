#include "core/event.hpp"

#include <utility>

namespace evd::core {

event::event(nlohmann::json doc, std::string json, std::uint64_t seq)
    : doc_(std::move(doc)),
      json_(std::move(json)),
      seq_(seq),
      created_(clock::now()) {
  live_.fetch_add(1, std::memory_order_relaxed);
}

event::~event() { live_.fetch_sub(1, std::memory_order_relaxed); }

event_ptr event::make(nlohmann::json doc, std::uint64_t seq) {
  std::string json = doc.dump();
  return std::make_shared<const event>(std::move(doc), std::move(json), seq);
}

}  // namespace evd::core
