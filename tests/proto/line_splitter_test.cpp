#include "proto/line_splitter.hpp"

#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>

namespace evd::proto {
namespace {

using status = line_splitter::status;

// Drains every complete line; returns them and leaves the final status in
// `last`.
std::vector<std::string> drain(line_splitter& s, status& last) {
  std::vector<std::string> lines;
  std::string_view line;
  while ((last = s.next(line)) == status::line) lines.emplace_back(line);
  return lines;
}

std::vector<std::string> drain(line_splitter& s) {
  status last;
  auto lines = drain(s, last);
  CHECK(last == status::need_more);
  return lines;
}

TEST_SUITE("line_splitter") {
  TEST_CASE("an empty splitter needs more") {
    line_splitter s(16);
    std::string_view line;
    CHECK(s.next(line) == status::need_more);
    CHECK(s.pending() == 0);
  }

  TEST_CASE("lines fed one byte at a time come out whole") {
    line_splitter s(16);
    std::vector<std::string> lines;
    for (char c : std::string_view("hello\r\nworld\n\nlast\n")) {
      s.append(std::string_view(&c, 1));
      for (auto& l : drain(s)) lines.push_back(l);
    }
    CHECK(lines == std::vector<std::string>{"hello", "world", "", "last"});
    CHECK(s.pending() == 0);
  }

  TEST_CASE("many lines in one append come out in order") {
    line_splitter s(16);
    s.append("one\ntwo\r\nthree\nfour");
    CHECK(drain(s) == std::vector<std::string>{"one", "two", "three"});
    CHECK(s.pending() == 4);
    s.append("\n");
    CHECK(drain(s) == std::vector<std::string>{"four"});
  }

  TEST_CASE("a line split across appends is joined") {
    line_splitter s(64);
    s.append(R"({"op":"pi)");
    CHECK(drain(s).empty());
    s.append(R"(ng","id":1})");
    CHECK(drain(s).empty());
    s.append("\r");
    CHECK(drain(s).empty());
    s.append("\n");
    CHECK(drain(s) == std::vector<std::string>{R"({"op":"ping","id":1})"});
  }

  TEST_CASE("releasing the idle buffer keeps an unfinished line") {
    line_splitter s(64);
    s.append("one\ntw");
    CHECK(drain(s) == std::vector<std::string>{"one"});
    s.release_idle_buffer();  // "tw" is pending: nothing may be lost
    CHECK(s.pending() == 2);
    s.append("o\nthree\n");
    CHECK(drain(s) == std::vector<std::string>{"two", "three"});
    s.release_idle_buffer();
    CHECK(s.pending() == 0);
    s.append("four\r");
    s.release_idle_buffer();
    s.append("\n");
    CHECK(drain(s) == std::vector<std::string>{"four"});
  }

  TEST_CASE("both terminators are stripped and empty lines are kept") {
    line_splitter s(16);
    s.append("\n\r\n\na\r\n");
    CHECK(drain(s) == std::vector<std::string>{"", "", "", "a"});
  }

  TEST_CASE("a carriage return inside a line is part of the line") {
    line_splitter s(16);
    s.append("a\rb\n\r\r\n");
    CHECK(drain(s) == std::vector<std::string>{"a\rb", "\r"});
  }

  TEST_CASE("a line of exactly the limit passes") {
    SUBCASE("ending in a newline") {
      line_splitter s(5);
      s.append("abcde\n");
      CHECK(drain(s) == std::vector<std::string>{"abcde"});
    }
    SUBCASE("ending in carriage return and newline") {
      line_splitter s(5);
      s.append("abcde\r\n");
      CHECK(drain(s) == std::vector<std::string>{"abcde"});
    }
    SUBCASE("fed one byte at a time with carriage return") {
      line_splitter s(5);
      std::vector<std::string> lines;
      for (char c : std::string_view("abcde\r\nvwxyz\r\n")) {
        s.append(std::string_view(&c, 1));
        for (auto& l : drain(s)) lines.push_back(l);
      }
      CHECK(lines == std::vector<std::string>{"abcde", "vwxyz"});
    }
    SUBCASE("after other lines in the same buffer") {
      line_splitter s(5);
      s.append("x\nabcde\r\ny\n");
      CHECK(drain(s) == std::vector<std::string>{"x", "abcde", "y"});
    }
  }

  TEST_CASE("a line one byte over the limit is too long") {
    status last;
    SUBCASE("ending in a newline") {
      line_splitter s(5);
      s.append("abcdef\n");
      CHECK(drain(s, last).empty());
      CHECK(last == status::too_long);
    }
    SUBCASE("ending in carriage return and newline") {
      line_splitter s(5);
      s.append("abcdef\r\n");
      CHECK(drain(s, last).empty());
      CHECK(last == status::too_long);
    }
    SUBCASE("after a line that fits") {
      line_splitter s(5);
      s.append("abc\nabcdef\n");
      CHECK(drain(s, last) == std::vector<std::string>{"abc"});
      CHECK(last == status::too_long);
    }
    SUBCASE("when the extra byte is a carriage return not ending the line") {
      line_splitter s(5);
      s.append("abcde\r\r\n");
      CHECK(drain(s, last).empty());
      CHECK(last == status::too_long);
    }
  }

  TEST_CASE("an over-long line is refused before its newline arrives") {
    line_splitter s(5);
    std::string_view line;
    SUBCASE("in one append") {
      s.append("abcdef");
      CHECK(s.next(line) == status::too_long);
    }
    SUBCASE("one byte at a time") {
      for (char c : std::string_view("abcde")) {
        s.append(std::string_view(&c, 1));
        CHECK(s.next(line) == status::need_more);
      }
      s.append("f");
      CHECK(s.next(line) == status::too_long);
    }
    SUBCASE("when a carriage return at the limit is followed by more") {
      s.append("abcde\r");
      CHECK(s.next(line) == status::need_more);
      s.append("x");
      CHECK(s.next(line) == status::too_long);
    }
    SUBCASE("far beyond the limit") {
      s.append(std::string(1000, 'x'));
      CHECK(s.next(line) == status::too_long);
    }
  }

  TEST_CASE("a splitter that saw a too-long line stays spent") {
    line_splitter s(5);
    std::string_view line;
    s.append("abcdefgh");
    REQUIRE(s.next(line) == status::too_long);
    s.append("\nok\n");
    CHECK(s.next(line) == status::too_long);
    CHECK(s.next(line) == status::too_long);
  }

  TEST_CASE("pending counts the bytes of an unfinished line") {
    line_splitter s(16);
    std::string_view line;
    s.append("abc\nde");
    REQUIRE(s.next(line) == status::line);
    CHECK(line == "abc");
    CHECK(s.next(line) == status::need_more);
    CHECK(s.pending() == 2);
    s.append("f\r");
    CHECK(s.next(line) == status::need_more);
    CHECK(s.pending() == 4);
    s.append("\n");
    REQUIRE(s.next(line) == status::line);
    CHECK(line == "def");
    CHECK(s.pending() == 0);
  }

  TEST_CASE("pending counts buffered lines not yet read") {
    line_splitter s(16);
    s.append("ab\ncd");
    CHECK(s.pending() == 5);
  }
}

}  // namespace
}  // namespace evd::proto
