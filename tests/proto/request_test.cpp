#include "proto/request.hpp"

#include <string>
#include <string_view>

#include <doctest/doctest.h>

namespace evd::proto {
namespace {

using json = nlohmann::json;

// Parses a line that must be accepted.
request accepted(std::string_view line) {
  auto result = parse_request(line);
  const auto* error = std::get_if<request_error>(&result);
  INFO("line: " << line);
  REQUIRE_MESSAGE(error == nullptr, (error ? error->message : ""));
  return std::get<request>(std::move(result));
}

// Parses a line that must be refused.
request_error refused(std::string_view line) {
  auto result = parse_request(line);
  INFO("line: " << line);
  REQUIRE(std::holds_alternative<request_error>(result));
  auto error = std::get<request_error>(std::move(result));
  CHECK_FALSE(error.message.empty());
  return error;
}

// A CloudEvent trimmed from the octokit/webhooks examples (MIT License,
// Copyright (c) Octokit contributors), via shared/datasets, spread over
// lines and spaced the way a client might write it.
constexpr std::string_view github_push = R"json({
  "specversion" : "1.0",
  "id" : "gh-50aa2176ba322b2b",
  "source" : "https://github.com/Codertocat/Hello-World",
  "type" : "com.github.push",
  "data" : {"ref":"refs/tags/simple-tag", "created":true,
            "head_commit":{"message":"Adding a .gitignore file"},
            "repository":{"full_name":"Codertocat/Hello-World"}}
})json";

TEST_SUITE("request") {
  TEST_CASE("ping parses with its id") {
    auto req = accepted(R"({"op":"ping","id":1})");
    CHECK(req.id == 1);
    CHECK(std::holds_alternative<ping_request>(req.body));
  }

  TEST_CASE("the id may be a number or a string or absent") {
    CHECK(accepted(R"({"op":"ping","id":-7})").id == -7);
    CHECK(accepted(R"({"op":"ping","id":2.5})").id == 2.5);
    CHECK(accepted(R"({"op":"ping","id":"abc"})").id == "abc");
    CHECK(accepted(R"({"op":"ping"})").id.is_null());
  }

  TEST_CASE("an id of another type is an invalid request") {
    for (auto line :
         {R"({"op":"ping","id":true})", R"({"op":"ping","id":{"n":1}})",
          R"({"op":"ping","id":[1]})"}) {
      auto error = refused(line);
      CHECK(error.code == wire_error::invalid_request);
      CHECK(error.id.is_null());
    }
  }

  TEST_CASE("a line that is not JSON is a parse error") {
    SUBCASE("garbage") {
      CHECK(refused("hello").code == wire_error::parse_error);
    }
    SUBCASE("empty") { CHECK(refused("").code == wire_error::parse_error); }
    SUBCASE("truncated") {
      auto error = refused(R"({"op":"ping","id":3)");
      CHECK(error.code == wire_error::parse_error);
      CHECK(error.id.is_null());
    }
    SUBCASE("with a duplicate key") {
      auto error = refused(R"({"op":"ping","op":"pub"})");
      CHECK(error.code == wire_error::parse_error);
      CHECK(error.message.find("duplicate") != std::string::npos);
    }
    SUBCASE("with a NUL byte and garbage after the object") {
      using namespace std::string_view_literals;
      auto error = refused("{\"op\":\"ping\"}\0{\"op\":\"pub\"}"sv);
      CHECK(error.code == wire_error::parse_error);
    }
    SUBCASE("with trailing garbage") {
      CHECK(refused(R"({"op":"ping"} x)").code == wire_error::parse_error);
    }
  }

  TEST_CASE("JSON that is not an object is an invalid request") {
    for (auto line : {"[]", "[{\"op\":\"ping\"}]", "\"ping\"", "42", "null"}) {
      CHECK(refused(line).code == wire_error::invalid_request);
    }
  }

  TEST_CASE("a missing or non-string op is an invalid request") {
    SUBCASE("missing") {
      auto error = refused(R"({"id":3})");
      CHECK(error.code == wire_error::invalid_request);
      CHECK(error.id == 3);
    }
    SUBCASE("a number") {
      auto error = refused(R"({"op":1,"id":"x"})");
      CHECK(error.code == wire_error::invalid_request);
      CHECK(error.id == "x");
    }
  }

  TEST_CASE("an unknown op is reported with the id echoed") {
    auto error = refused(R"({"op":"frobnicate","id":"q1"})");
    CHECK(error.code == wire_error::unknown_op);
    CHECK(error.id == "q1");
    CHECK(error.message.find("frobnicate") != std::string::npos);
  }

  TEST_CASE("op names are case sensitive") {
    CHECK(refused(R"({"op":"PING"})").code == wire_error::unknown_op);
  }

  TEST_CASE("sub parses its name and filters") {
    auto req = accepted(R"({"op":"sub","id":8,"sub":"s1",)"
                        R"("filters":[{"exact":{"type":"x"}}]})");
    CHECK(req.id == 8);
    auto& sub = std::get<subscribe_request>(req.body);
    CHECK(sub.sub == "s1");
    CHECK(sub.filters == json::parse(R"([{"exact":{"type":"x"}}])"));
  }

  TEST_CASE("sub without filters carries null filters") {
    auto req = accepted(R"({"op":"sub","sub":"all"})");
    CHECK(std::get<subscribe_request>(req.body).filters.is_null());
  }

  TEST_CASE("sub passes filters through uncompiled") {
    auto req = accepted(R"({"op":"sub","sub":"s","filters":"nonsense"})");
    CHECK(std::get<subscribe_request>(req.body).filters == "nonsense");
  }

  TEST_CASE("sub and unsub need a non-empty string name") {
    for (std::string op : {"sub", "unsub"}) {
      CAPTURE(op);
      for (std::string tail : {"}", R"(,"sub":""})", R"(,"sub":1})",
                               R"(,"sub":null})", R"(,"sub":["s"]})"}) {
        auto error = refused(R"({"op":")" + op + R"(","id":4)" + tail);
        CHECK(error.code == wire_error::invalid_request);
        CHECK(error.id == 4);
      }
    }
  }

  TEST_CASE("unsub parses its name") {
    auto req = accepted(R"({"op":"unsub","id":9,"sub":"s1"})");
    CHECK(req.id == 9);
    CHECK(std::get<unsubscribe_request>(req.body).sub == "s1");
  }

  TEST_CASE("pub parses a plain object event") {
    auto req = accepted(R"({"op":"pub","id":7,"event":{"n":1}})");
    CHECK(req.id == 7);
    auto& pub = std::get<publish_request>(req.body);
    CHECK(pub.event == json{{"n", 1}});
    CHECK(pub.bytes == R"({"n":1})");
  }

  TEST_CASE("pub without an event is an invalid request") {
    auto error = refused(R"({"op":"pub","id":7})");
    CHECK(error.code == wire_error::invalid_request);
    CHECK(error.id == 7);
  }

  TEST_CASE("pub of a non-object event is an invalid event") {
    for (std::string event : {"[]", "\"e\"", "1", "null", "true"}) {
      auto error = refused(R"({"op":"pub","id":7,"event":)" + event + "}");
      CHECK(error.code == wire_error::invalid_event);
      CHECK(error.id == 7);
    }
  }

  TEST_CASE("a CloudEvent without id source or type is an invalid event") {
    const json valid = {
        {"specversion", "1.0"}, {"id", "1"}, {"source", "/s"}, {"type", "t"}};
    auto check_refused = [](const json& event, const std::string& name) {
      CAPTURE(name);
      auto error =
          refused(R"({"op":"pub","id":"p","event":)" + event.dump() + "}");
      CHECK(error.code == wire_error::invalid_event);
      CHECK(error.id == "p");
      CHECK(error.message.find(name) != std::string::npos);
    };
    for (std::string name : {"id", "source", "type"}) {
      json missing = valid;
      missing.erase(name);
      check_refused(missing, name);

      json empty = valid;
      empty[name] = "";
      check_refused(empty, name);

      json number = valid;
      number[name] = 1;
      check_refused(number, name);
    }
  }

  TEST_CASE("a CloudEvent with another specversion is an invalid event") {
    for (std::string version :
         {R"("0.3")", R"("1.1")", R"("")", "1.0", "1", "null"}) {
      CAPTURE(version);
      auto error = refused(R"({"op":"pub","id":1,"event":{"specversion":)" +
                           version + R"(,"id":"1","source":"/s","type":"t"}})");
      CHECK(error.code == wire_error::invalid_event);
      CHECK(error.id == 1);
    }
  }

  TEST_CASE("a valid CloudEvent is accepted") {
    auto req = accepted(std::string(R"({"op":"pub","id":1,"event":)") +
                        std::string(github_push) + "}");
    auto& pub = std::get<publish_request>(req.body);
    CHECK(pub.event["type"] == "com.github.push");
    CHECK(pub.event["data"]["repository"]["full_name"] ==
          "Codertocat/Hello-World");
  }

  TEST_CASE("check_event accepts an event without specversion") {
    CHECK_FALSE(check_event(json::object()));
    CHECK_FALSE(check_event(json{{"type", 1}}));
    CHECK(check_event(json{{"specversion", "1.0"}}));
  }

  TEST_CASE("pub keeps the event bytes exactly as written") {
    SUBCASE("a multi-line spaced real event") {
      std::string line =
          R"({"op":"pub","id":1,"event":)" + std::string(github_push) + "}";
      auto req = accepted(line);
      CHECK(std::get<publish_request>(req.body).bytes == github_push);
    }
    SUBCASE("whitespace and number spellings") {
      std::string_view event =
          R"({ "b" : 1.50 , "a":[ 1E+2, -0.0, 10e-1 ] ,"c" : {} })";
      std::string line =
          R"({"op":"pub", "event" :  )" + std::string(event) + R"(  , "id":2})";
      CHECK(std::get<publish_request>(accepted(line).body).bytes == event);
    }
    SUBCASE("whitespace after the event when it is the last key") {
      std::string_view event = R"({"a":1})";
      std::string line =
          R"({"op":"pub","event":)" + std::string(event) + " \t\r\n }";
      CHECK(std::get<publish_request>(accepted(line).body).bytes == event);
    }
    SUBCASE("key order and escapes") {
      std::string_view event = R"({"z":"\u00e9\n\/","a":"caf)"
                               "\xc3\xa9"
                               R"(","m":null})";
      std::string line =
          R"({"event":)" + std::string(event) + R"(,"op":"pub"})";
      CHECK(std::get<publish_request>(accepted(line).body).bytes == event);
    }
    SUBCASE("an event holding its own event key") {
      std::string_view event = R"({"event":{"event":{}},"op":"pub"})";
      std::string line = R"({"op":"pub","event":)" + std::string(event) + "}";
      CHECK(std::get<publish_request>(accepted(line).body).bytes == event);
    }
    SUBCASE("an earlier key whose value mentions event") {
      std::string_view event = R"({"x":1})";
      std::string line = R"({"note":{"event":{"y":2}},"op":"pub","event":)" +
                         std::string(event) + "}";
      CHECK(std::get<publish_request>(accepted(line).body).bytes == event);
    }
    SUBCASE("the event key written with an escape") {
      std::string_view event = R"({"x":1})";
      std::string line =
          R"({"op":"pub","\u0065vent":)" + std::string(event) + "}";
      CHECK(std::get<publish_request>(accepted(line).body).bytes == event);
    }
  }

  TEST_CASE("the parsed event matches its bytes") {
    std::string line =
        R"({"op":"pub","event":)" + std::string(github_push) + "}";
    auto pub = std::get<publish_request>(accepted(line).body);
    CHECK(json::parse(pub.bytes) == pub.event);
  }

  TEST_CASE("a request with unknown extra keys is accepted") {
    auto req = accepted(R"({"op":"ping","id":1,"extra":[1,2]})");
    CHECK(std::holds_alternative<ping_request>(req.body));
  }
}

}  // namespace
}  // namespace evd::proto
