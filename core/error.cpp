#include "core/error.hpp"

#include <string>

namespace evd::core {
namespace {

class category final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "evd.core"; }

  std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
      case errc::sink_closed:
        return "sink closed";
      case errc::queue_full:
        return "queue full";
      case errc::channel_full:
        return "channel full";
      case errc::backing_off:
        return "backing off";
    }
    return "unknown evd.core error";
  }
};

}  // namespace

const boost::system::error_category& core_category() noexcept {
  static const category instance;
  return instance;
}

}  // namespace evd::core
