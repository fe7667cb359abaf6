// The compiled right-hand side of a CESQL LIKE operation.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace evd::cesql {

// A LIKE pattern prepared once at compile time. In the pattern '%' matches
// any run of characters (possibly empty), '_' matches exactly one
// character, "\%", "\_" and "\\" match '%', '_' and '\' literally, and every
// other byte, including a backslash before any other character, matches
// itself case-sensitively. Characters are UTF-8 code points. Immutable after
// construction; matches() may be called from several threads at once.
class like_pattern {
 public:
  explicit like_pattern(std::string_view pattern);

  // Returns true when the whole of `text` matches the pattern. Runs in
  // O(text size * pattern size) at worst, without allocating.
  bool matches(std::string_view text) const;

 private:
  // A byte to match literally, or one of the two wildcards.
  struct element {
    enum class kind : std::uint8_t { byte, one, run };
    kind what;
    char byte;
  };

  std::vector<element> elements_;
};

}  // namespace evd::cesql
