#include "core/error.hpp"

#include <set>
#include <string>

#include <doctest/doctest.h>
#include <boost/system/errc.hpp>

namespace evd::core {
namespace {

using namespace std::chrono_literals;

const errc all_codes[] = {errc::sink_closed, errc::queue_full,
                          errc::channel_full, errc::backing_off};

TEST_SUITE("error") {
  TEST_CASE("every code is a failure in the evd.core category") {
    for (errc e : all_codes) {
      error_code ec = e;
      CHECK(ec.failed());
      CHECK(ec.category() == core_category());
      CHECK(std::string(ec.category().name()) == "evd.core");
    }
  }

  TEST_CASE("each code compares equal only to its own enumerator") {
    for (errc a : all_codes) {
      for (errc b : all_codes) {
        CHECK((error_code(a) == b) == (a == b));
      }
    }
  }

  TEST_CASE("codes are distinct from generic errors with the same value") {
    error_code generic =
        boost::system::errc::make_error_code(boost::system::errc::io_error);
    error_code same_value(static_cast<int>(errc::sink_closed),
                          boost::system::generic_category());
    CHECK(generic != errc::sink_closed);
    CHECK(same_value != errc::sink_closed);
  }

  TEST_CASE("each code has its own message") {
    std::set<std::string> messages;
    for (errc e : all_codes) messages.insert(error_code(e).message());
    CHECK(messages.size() == std::size(all_codes));
    CHECK(error_code(errc::sink_closed).message() == "sink closed");
  }
}

}  // namespace
}  // namespace evd::core
