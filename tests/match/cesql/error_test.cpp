#include "match/cesql/error.hpp"

#include <stdexcept>

#include <doctest/doctest.h>
#include <boost/system/result.hpp>

namespace cesql = evd::cesql;
using cesql::error_kind;

TEST_SUITE("error") {
  TEST_CASE("error kinds are named as the conformance suite spells them") {
    CHECK(name(error_kind::parse) == "parse");
    CHECK(name(error_kind::math) == "math");
    CHECK(name(error_kind::cast) == "cast");
    CHECK(name(error_kind::missing_function) == "missingFunction");
    CHECK(name(error_kind::function_evaluation) == "functionEvaluation");
    CHECK(name(error_kind::missing_attribute) == "missingAttribute");
    CHECK(name(error_kind::generic) == "generic");
  }

  TEST_CASE("a parse error renders its column before its message") {
    cesql::parse_error e{"unexpected '!'", 7};
    CHECK(cesql::to_string(e) == "column 7: unexpected '!'");
  }

  TEST_CASE("value() of a failed result throws the rendered parse error") {
    boost::system::result<int, cesql::parse_error> r(
        cesql::parse_error{"bad", 2});
    CHECK_THROWS_WITH_AS(r.value(), "column 2: bad", std::invalid_argument);
  }
}
