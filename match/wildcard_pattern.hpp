// Patterns of the `wildcard` filter dialect: text in which `*` stands for
// any run of characters, the empty run included. A backslash makes the
// next `*` or backslash literal; before anything else it is an error, which
// keeps other escapes free for later use.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace evd::match {

class wildcard_pattern {
 public:
  // Parses `pattern`; an empty one is valid and matches only "". On
  // failure returns nothing and sets `error` to what is wrong, worded to
  // follow the name of the condition ("... has a backslash ...").
  static std::optional<wildcard_pattern> parse(std::string_view pattern,
                                               std::string& error);

  // Whether all of `text` fits the pattern. Characters compare byte by
  // byte, case-sensitively; a `*` spans bytes, not UTF-8 characters,
  // which gives the same answers for valid UTF-8 on both sides.
  bool matches(std::string_view text) const;

 private:
  // The literal pieces between stars: the first and last are anchored to
  // the ends of the text (and are the same piece when there is no star),
  // the ones between are found in order, each as early as it occurs.
  std::vector<std::string> pieces_;
};

}  // namespace evd::match
