// Splits CESQL expression text into tokens. Keywords are recognised in any
// letter case; everything else keeps its spelling for the parser to judge.
#pragma once

#include <string_view>
#include <vector>

#include <boost/system/result.hpp>

#include "match/cesql/error.hpp"
#include "match/cesql/token.hpp"

namespace evd::cesql {

// Returns the tokens of `text`, always ending with a token_kind::end token,
// or the first lexical error (an unknown character, an unterminated string
// literal) with its position.
//
// Words are runs of ASCII letters, digits and '_'; a run of digits only is
// an integer token. A word may continue with '.'-separated runs, which the
// parser reads as a path into the event (an evd extension). Inside a string
// literal a backslash keeps the next character from ending the literal; the
// pair \' (in '...') or \" (in "...") becomes the bare quote and any other
// pair is kept as written, backslash included.
boost::system::result<std::vector<token>, parse_error> tokenize(
    std::string_view text);

}  // namespace evd::cesql
