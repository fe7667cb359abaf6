#include "proto/reply.hpp"

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include <doctest/doctest.h>

#include "proto/strict_json.hpp"

namespace evd::proto {
namespace {

using json = nlohmann::json;

// Parses a reply line strictly, after checking it is one line.
json parsed(const std::string& reply) {
  REQUIRE(!reply.empty());
  CHECK(reply.back() == '\n');
  CHECK(reply.find('\n') == reply.size() - 1);
  std::string error;
  auto doc = parse_strict(reply, error);
  REQUIRE_MESSAGE(doc.has_value(), error);
  return *doc;
}

// The event frame a session would write for `sub`.
std::string event_frame(std::string_view sub, std::uint64_t seq,
                        std::string_view event) {
  return event_frame_head(sub) + std::to_string(seq) +
         std::string(event_frame_middle) + std::string(event) +
         std::string(event_frame_tail);
}

TEST_SUITE("reply") {
  TEST_CASE("ok_published puts op then id then seq") {
    CHECK(ok_published(7, 42) == "{\"op\":\"ok\",\"id\":7,\"seq\":42}\n");
    CHECK(ok_published("a", 0) == "{\"op\":\"ok\",\"id\":\"a\",\"seq\":0}\n");
    CHECK(ok_published(nullptr, 1) == "{\"op\":\"ok\",\"seq\":1}\n");
  }

  TEST_CASE("ok_published carries the full 64-bit seq") {
    auto max = std::numeric_limits<std::uint64_t>::max();
    CHECK(ok_published(1, max) ==
          "{\"op\":\"ok\",\"id\":1,\"seq\":18446744073709551615}\n");
  }

  TEST_CASE("ok_subscribed puts op then id then sub") {
    CHECK(ok_subscribed(8, "s1") ==
          "{\"op\":\"ok\",\"id\":8,\"sub\":\"s1\"}\n");
    CHECK(ok_subscribed(nullptr, "s1") == "{\"op\":\"ok\",\"sub\":\"s1\"}\n");
  }

  TEST_CASE("ok and pong carry only op and id") {
    CHECK(ok(9) == "{\"op\":\"ok\",\"id\":9}\n");
    CHECK(ok(nullptr) == "{\"op\":\"ok\"}\n");
    CHECK(pong(1) == "{\"op\":\"pong\",\"id\":1}\n");
    CHECK(pong("x") == "{\"op\":\"pong\",\"id\":\"x\"}\n");
    CHECK(pong(nullptr) == "{\"op\":\"pong\"}\n");
  }

  TEST_CASE("an id is echoed in the spelling it was parsed to") {
    CHECK(ok(-3) == "{\"op\":\"ok\",\"id\":-3}\n");
    CHECK(ok(2.5) == "{\"op\":\"ok\",\"id\":2.5}\n");
    CHECK(ok("q\"1") == "{\"op\":\"ok\",\"id\":\"q\\\"1\"}\n");
  }

  TEST_CASE("error puts op then id then code then message") {
    CHECK(error(5, wire_error::unknown_op, "unknown op 'x'") ==
          "{\"op\":\"error\",\"id\":5,\"code\":\"unknown_op\","
          "\"message\":\"unknown op 'x'\"}\n");
  }

  TEST_CASE("error leaves out a null id") {
    CHECK(error(nullptr, wire_error::parse_error, "bad") ==
          "{\"op\":\"error\",\"code\":\"parse_error\",\"message\":\"bad\"}\n");
  }

  TEST_CASE("error escapes its message and keeps it valid UTF-8") {
    SUBCASE("quotes backslashes and control characters") {
      auto reply = error(1, wire_error::invalid_request, "a\"b\\c\nd\x01");
      CHECK(parsed(reply)["message"] == "a\"b\\c\nd\x01");
    }
    SUBCASE("invalid UTF-8 is replaced") {
      auto reply = error(1, wire_error::invalid_request, "bad \xff byte");
      CHECK(parsed(reply)["message"] == "bad \xef\xbf\xbd byte");
    }
  }

  TEST_CASE("closed names the sub and the reason") {
    CHECK(closed("s1", "slow_consumer") ==
          "{\"op\":\"closed\",\"sub\":\"s1\",\"reason\":\"slow_consumer\"}\n");
  }

  TEST_CASE("closed without a sub is about the whole connection") {
    CHECK(closed("", "shutting_down") ==
          "{\"op\":\"closed\",\"reason\":\"shutting_down\"}\n");
  }

  TEST_CASE("the event frame head ends where the seq goes") {
    CHECK(event_frame_head("s1") ==
          "{\"op\":\"event\",\"sub\":\"s1\",\"seq\":");
  }

  TEST_CASE("an assembled event frame is one valid JSON line") {
    std::string_view event = R"({ "type" : "t", "data":{"n":1.50} })";
    auto frame = event_frame("s1", 17, event);
    CHECK(frame.ends_with(std::string(event) + "}\n"));
    CHECK(parsed(frame) == json{{"op", "event"},
                                {"sub", "s1"},
                                {"seq", 17},
                                {"event", json::parse(event)}});
  }

  TEST_CASE("event frame keys come in the documented order") {
    auto frame = event_frame("s", 1, "{}");
    CHECK(frame == "{\"op\":\"event\",\"sub\":\"s\",\"seq\":1,\"event\":{}}\n");
  }

  TEST_CASE("sub names are escaped in every reply") {
    const std::string names[] = {
        "a\"b",                      // a quote
        "back\\slash",               // a backslash
        "caf\xc3\xa9 \xe2\x9c\x93",  // non-ASCII
        "tab\there",                 // a control character
        "\"}],\"x\":{\"",            // an attempt to break out
    };
    for (const auto& name : names) {
      CAPTURE(name);
      CHECK(parsed(event_frame(name, 3, "{}"))["sub"] == name);
      CHECK(parsed(ok_subscribed(1, name))["sub"] == name);
      CHECK(parsed(closed(name, "unsubscribed"))["sub"] == name);
    }
  }

  TEST_CASE("the event frame head escapes quotes and backslashes") {
    CHECK(event_frame_head("a\"b\\c") ==
          "{\"op\":\"event\",\"sub\":\"a\\\"b\\\\c\",\"seq\":");
  }

  TEST_CASE("the event frame head spells non-ASCII sub names raw") {
    CHECK(event_frame_head("\xc3\xa9") ==
          "{\"op\":\"event\",\"sub\":\"\xc3\xa9\",\"seq\":");
  }

  TEST_CASE("an invalid UTF-8 sub name still makes valid JSON") {
    auto frame = event_frame("s\xff", 1, "{}");
    CHECK(parsed(frame)["sub"] == "s\xef\xbf\xbd");
  }
}

}  // namespace
}  // namespace evd::proto
