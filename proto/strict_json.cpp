#include "proto/strict_json.hpp"

#include <set>
#include <vector>

namespace evd::proto {
namespace {

using json = nlohmann::json;

// Builds the document with the library's own DOM builder and adds the
// two checks on the way. Returning false stops the parse.
class strict_builder {
 public:
  strict_builder(json& root, std::size_t max_depth, std::string& error)
      : dom_(root, false), max_depth_(max_depth), error_(error) {}

  bool null() { return dom_.null(); }
  bool boolean(bool v) { return dom_.boolean(v); }
  bool number_integer(json::number_integer_t v) {
    return dom_.number_integer(v);
  }
  bool number_unsigned(json::number_unsigned_t v) {
    return dom_.number_unsigned(v);
  }
  bool number_float(json::number_float_t v, const std::string& s) {
    return dom_.number_float(v, s);
  }
  bool string(std::string& v) { return dom_.string(v); }
  bool binary(json::binary_t& v) { return dom_.binary(v); }

  bool start_object(std::size_t n) {
    if (!enter()) return false;
    keys_.emplace_back();
    return dom_.start_object(n);
  }
  bool key(std::string& k) {
    if (!keys_.back().insert(k).second) {
      error_ = "duplicate key '" + k + "'";
      return false;
    }
    return dom_.key(k);
  }
  bool end_object() {
    keys_.pop_back();
    --depth_;
    return dom_.end_object();
  }
  bool start_array(std::size_t n) {
    if (!enter()) return false;
    keys_.emplace_back();  // keeps keys_ in step with depth_
    return dom_.start_array(n);
  }
  bool end_array() {
    keys_.pop_back();
    --depth_;
    return dom_.end_array();
  }

  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception& e) {
    // Drop the library's "[json.exception.parse_error.101] " prefix.
    std::string what = e.what();
    auto bracket = what.find("] ");
    error_ = bracket == std::string::npos ? what : what.substr(bracket + 2);
    return false;
  }

 private:
  bool enter() {
    if (++depth_ > max_depth_) {
      error_ = "nesting deeper than " + std::to_string(max_depth_) + " levels";
      return false;
    }
    return true;
  }

  nlohmann::detail::json_sax_dom_parser<json> dom_;
  std::size_t max_depth_;
  std::string& error_;
  std::size_t depth_ = 0;
  std::vector<std::set<std::string>> keys_;
};

}  // namespace

std::optional<json> parse_strict(std::string_view text, std::string& error,
                                 std::size_t max_depth) {
  json root;
  error.clear();
  // nlohmann's lexer takes a NUL byte for the end of input, so
  // `{"op":"ping"}\0garbage` would parse. JSON has no place for a raw NUL
  // (strings must escape it), so any NUL makes the text invalid.
  if (text.find('\0') != std::string_view::npos) {
    error = "a NUL byte is not allowed in JSON text";
    return std::nullopt;
  }
  strict_builder builder(root, max_depth, error);
  bool ok = false;
  try {
    ok = json::sax_parse(text, &builder);
  } catch (const json::exception& e) {
    error = e.what();
    return std::nullopt;
  }
  if (!ok) {
    if (error.empty()) error = "invalid JSON";
    return std::nullopt;
  }
  return root;
}

}  // namespace evd::proto
