// Character-level helpers over UTF-8 text: CESQL counts and slices strings
// in Unicode characters (code points), not bytes. Malformed sequences are
// not rejected; each stray byte counts as one character.
#pragma once

#include <cstddef>
#include <string_view>

namespace evd::cesql::utf8 {

// Returns the number of code points in `text`.
std::size_t length(std::string_view text);

// Returns the byte offset just past the code point starting at byte `pos`,
// or text.size() when `pos` is at or past the end.
std::size_t next(std::string_view text, std::size_t pos);

// Returns the byte offset at which code point number `index` (0-based)
// starts, or text.size() when `text` has no more than `index` code points.
std::size_t offset_of(std::string_view text, std::size_t index);

// Returns `text` without leading and trailing characters that have the
// Unicode White_Space property.
std::string_view trim(std::string_view text);

}  // namespace evd::cesql::utf8
