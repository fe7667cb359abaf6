#include "proto/wire_error.hpp"

#include <doctest/doctest.h>

namespace evd::proto {
namespace {

TEST_SUITE("wire_error") {
  TEST_CASE("every code has its documented spelling") {
    CHECK(to_string(wire_error::parse_error) == "parse_error");
    CHECK(to_string(wire_error::invalid_request) == "invalid_request");
    CHECK(to_string(wire_error::unknown_op) == "unknown_op");
    CHECK(to_string(wire_error::invalid_event) == "invalid_event");
    CHECK(to_string(wire_error::invalid_filter) == "invalid_filter");
    CHECK(to_string(wire_error::duplicate_sub) == "duplicate_sub");
    CHECK(to_string(wire_error::unknown_sub) == "unknown_sub");
    CHECK(to_string(wire_error::line_too_long) == "line_too_long");
    CHECK(to_string(wire_error::limit_exceeded) == "limit_exceeded");
    CHECK(to_string(wire_error::shutting_down) == "shutting_down");
    CHECK(to_string(wire_error::internal_error) == "internal_error");
  }

  TEST_CASE("a value outside the enumeration reads as internal_error") {
    CHECK(to_string(static_cast<wire_error>(999)) == "internal_error");
  }
}

}  // namespace
}  // namespace evd::proto
