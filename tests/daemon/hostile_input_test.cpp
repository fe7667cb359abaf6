// Malformed and hostile input, sent raw to the real evd: every bad line
// gets a clear error, and nothing else is lost.
#include <doctest/doctest.h>

#include <string>

#include "tests/support/evd_instance.hpp"
#include "tests/support/line_client.hpp"

namespace evd::test {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

// The connection still works, and an event it publishes reaches a
// subscriber on another connection.
void check_still_serving(evd_instance& evd, line_client& client) {
  CHECK(client.request({{"op", "ping"}, {"id", "after"}})["op"] == "pong");
  line_client other(evd.unix_address());
  CHECK(other.request({{"op", "sub"}, {"id", 1}, {"sub", "after"}})["op"] ==
        "ok");
  json event = {{"after", "hostile input"}};
  CHECK(client.request({{"op", "pub"}, {"id", "p"}, {"event", event}})["op"] ==
        "ok");
  json delivered = other.read_json();
  CHECK(delivered["op"] == "event");
  CHECK(delivered["event"] == event);
}

std::string nested(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

}  // namespace

TEST_SUITE("hostile_input") {
  TEST_CASE("each malformed line is refused with its code") {
    evd_instance evd;
    line_client client(evd.unix_address());
    struct bad {
      std::string line;
      std::string code;
    };
    const bad cases[] = {
        {"{\"op\":\"ping\",\"id\":\"\xff\xfe\"}", "parse_error"},
        {"{\"op\":\"pub\",\"event\":{\"s\":\"\xc3\x28\"}}", "parse_error"},
        {"{\"op\":\"pub\",\"event\":{\"a\":" + nested(100) + "}}",
         "parse_error"},
        {nested(100000), "parse_error"},
        {std::string(100000, '{'), "parse_error"},
        {R"({"op":"pub","event":{"a":1,"b":{"c":1,"c":2}}})", "parse_error"},
        {"", "parse_error"},
        {"     ", "parse_error"},
        {"\t \t", "parse_error"},
        {std::string("{\"op\":\"ping\"}\0", 14), "parse_error"},
        {std::string("{\"op\":\"pi\0ng\"}", 14), "parse_error"},
        {"42", "invalid_request"},
        {"\"ping\"", "invalid_request"},
        {"null", "invalid_request"},
        {"true", "invalid_request"},
        {"[]", "invalid_request"},
        {R"({"op":"ping","id":{"nested":1}})", "invalid_request"},
        {R"({"op":42})", "invalid_request"},
        {R"({"op":"sub","sub":"s","since":-1})", "invalid_request"},
        {R"({"op":"sub","sub":"s","since":1.5})", "invalid_request"},
        {R"({"op":"sub","sub":"s","since":"later"})", "invalid_request"},
        {R"({"op":"sub","sub":"s","max_events":1e999})", "parse_error"},
    };
    for (const auto& c : cases) {
      CAPTURE(c.line.substr(0, 60));
      client.send_raw(c.line + "\n");
      json reply = client.read_json();
      CHECK(reply["op"] == "error");
      CHECK(reply["code"] == c.code);
      CHECK(reply["message"].is_string());
    }
    check_still_serving(evd, client);
  }

  TEST_CASE("nesting up to the limit is accepted") {
    evd_instance evd;
    line_client client(evd.unix_address());
    // The request object and "event" take two levels of the 64.
    json reply = client.request(
        json::parse(R"({"op":"pub","id":1,"event":{"a":)" + nested(62) + "}}"));
    CHECK(reply["seq"] == 1);
  }

  TEST_CASE("huge numbers in an event are kept byte for byte") {
    evd_instance evd;
    line_client watcher(evd.unix_address());
    CHECK(watcher.request({{"op", "sub"}, {"id", 1}, {"sub", "s"}})["op"] ==
          "ok");
    line_client client(evd.unix_address());
    std::string event =
        R"({"big":123456789012345678901234567890123,"small":1e-300,)"
        R"("neg":-99999999999999999999})";
    client.send_raw(R"({"op":"pub","id":1,"event":)" + event + "}\n");
    CHECK(client.read_json()["seq"] == 1);
    CHECK(watcher.read_line() ==
          R"({"op":"event","sub":"s","seq":1,"event":)" + event + "}");

    // An id too large for any integer type is still echoed as a number.
    json reply = client.request(
        json::parse(R"({"op":"ping","id":123456789012345678901234567890})"));
    CHECK(reply["op"] == "pong");
    CHECK(reply["id"].is_number());
  }

  TEST_CASE(
      "a truncated last line at eof is answered then the connection ends") {
    evd_instance evd;
    line_client client(evd.unix_address());
    client.send_raw(R"({"op":"ping","id":1)");
    client.shutdown_send();
    json reply = client.read_json();
    CHECK(reply["code"] == "parse_error");
    CHECK(client.closed_by_peer());
    line_client other(evd.unix_address());
    CHECK(other.request({{"op", "ping"}})["op"] == "pong");
  }

  TEST_CASE("half a line then a disconnect costs nothing") {
    evd_instance evd;
    line_client watcher(evd.unix_address());
    CHECK(watcher.request({{"op", "sub"}, {"id", 1}, {"sub", "s"}})["op"] ==
          "ok");
    for (int i = 0; i < 20; ++i) {
      line_client quitter(evd.tcp_address());
      quitter.send_raw(R"({"op":"pub","event":{"half":)");
      quitter.close();
    }
    line_client publisher(evd.unix_address());
    CHECK(publisher.request(
              {{"op", "pub"}, {"id", 1}, {"event", {{"n", 1}}}})["seq"] == 1);
    CHECK(watcher.read_json()["seq"] == 1);
    CHECK(evd.stop() == 0);
    CHECK(evd.log().find("session failed") == std::string::npos);
  }

  TEST_CASE("a client that connects and sends nothing does not hold evd up") {
    evd_instance evd;
    line_client silent(evd.unix_address());
    line_client silent_tcp(evd.tcp_address());
    line_client client(evd.unix_address());
    CHECK(client.request({{"op", "ping"}})["op"] == "pong");
    CHECK(client.request(
              {{"op", "pub"}, {"id", 1}, {"event", {{"n", 1}}}})["seq"] == 1);
    // Shutdown still says goodbye to the silent clients and exits cleanly.
    CHECK(evd.stop() == 0);
    CHECK(silent.read_json() == json{{"op", "closed"}, {"reason", "shutdown"}});
    CHECK(silent.closed_by_peer());
  }
}

}  // namespace evd::test
