#include "core/event.hpp"

#include <doctest/doctest.h>

namespace evd::core {
namespace {

using namespace std::chrono_literals;

TEST_SUITE("event") {
  TEST_CASE("make serializes the document once into json") {
    nlohmann::json doc = {{"type", "created"}, {"id", 7}};
    event_ptr ev = event::make(doc, 42);

    CHECK(ev->doc() == doc);
    CHECK(ev->json() == doc.dump());
    CHECK(ev->size() == doc.dump().size());
    CHECK(ev->seq() == 42);
  }

  TEST_CASE("an event made in process has sequence zero") {
    CHECK(event::make({{"a", 1}})->seq() == 0);
  }

  TEST_CASE("the constructor keeps the bytes it is given") {
    event ev(nlohmann::json{{"a", 1}}, "{ \"a\" : 1 }", 3);
    CHECK(ev.json() == "{ \"a\" : 1 }");
    CHECK(ev.size() == 11);
    CHECK(ev.doc().at("a") == 1);
  }

  TEST_CASE("creation time lies between the instants around make") {
    auto before = event::clock::now();
    event_ptr ev = event::make(nullptr);
    auto after = event::clock::now();
    CHECK(ev->created() >= before);
    CHECK(ev->created() <= after);
  }
}

}  // namespace
}  // namespace evd::core
