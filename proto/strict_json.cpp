#include "proto/strict_json.hpp"

#include <cmath>
#include <cstdint>
#include <vector>

#include <simdjson.h>

namespace evd::proto {
namespace {

using json = nlohmann::json;

// Builds the document from the parser's events and applies the two rules
// on the way. A key goes straight into its object, so finding a duplicate
// costs no more than placing the key; nlohmann's own builder would let a
// second copy overwrite the first. Returning false stops the parse.
class strict_builder {
 public:
  strict_builder(json& root, std::size_t max_depth, std::string& error)
      : root_(root), max_depth_(max_depth), error_(error) {}

  bool null() {
    place(nullptr);
    return true;
  }
  bool boolean(bool v) {
    place(v);
    return true;
  }
  bool number_integer(json::number_integer_t v) {
    place(v);
    return true;
  }
  bool number_unsigned(json::number_unsigned_t v) {
    place(v);
    return true;
  }
  bool number_float(json::number_float_t v, const std::string&) {
    place(v);
    return true;
  }
  bool string(std::string& v) {
    place(std::move(v));
    return true;
  }
  bool binary(json::binary_t& v) {
    place(json::binary(std::move(v)));
    return true;
  }

  bool start_object(std::size_t) { return enter(json::value_t::object); }
  bool key(std::string& k) {
    auto& members = open_.back()->get_ref<json::object_t&>();
    auto [it, inserted] = members.try_emplace(std::move(k));
    if (!inserted) {
      error_ = "duplicate key '" + it->first + "'";
      return false;
    }
    slot_ = &it->second;
    return true;
  }
  bool end_object() { return leave(); }
  bool start_array(std::size_t) { return enter(json::value_t::array); }
  bool end_array() { return leave(); }

  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception& e) {
    // Drop the library's "[json.exception.parse_error.101] " prefix.
    std::string what = e.what();
    auto bracket = what.find("] ");
    error_ = bracket == std::string::npos ? what : what.substr(bracket + 2);
    return false;
  }

 private:
  // Puts a value where the text has it: the root, the next element of the
  // open array, or the member whose key came last, and returns where it
  // went. Containers are only appended to while their last element is
  // complete, so the pointers in open_ stay valid.
  template <typename Value>
  json* place(Value&& v) {
    if (open_.empty()) {
      root_ = json(std::forward<Value>(v));
      return &root_;
    }
    json& parent = *open_.back();
    if (parent.is_array()) {
      auto& elements = parent.get_ref<json::array_t&>();
      elements.emplace_back(std::forward<Value>(v));
      return &elements.back();
    }
    *slot_ = json(std::forward<Value>(v));
    return slot_;
  }

  bool enter(json::value_t kind) {
    if (open_.size() + 1 > max_depth_) {
      error_ = "nesting deeper than " + std::to_string(max_depth_) + " levels";
      return false;
    }
    open_.push_back(place(json(kind)));
    return true;
  }

  bool leave() {
    open_.pop_back();
    return true;
  }

  json& root_;
  std::size_t max_depth_;
  std::string& error_;
  std::vector<json*> open_;  // the containers being filled, outermost first
  json* slot_ = nullptr;     // the member the last key named
};

// The fast way to the same document: simdjson validates the text (UTF-8,
// structure, numbers) many times faster than nlohmann's lexer, and the
// tree is copied into nlohmann_json, which the rest of evd speaks. It
// gives up, returning false, on anything it is not sure to treat exactly
// as the strict parse does: any simdjson error, a duplicate key and
// nesting past the limit (and parse_fast keeps the integer -0 away). The
// strict parse then decides, with its messages.
bool copy_tree(simdjson::dom::element from, json& to, std::size_t depth,
               std::size_t max_depth) {
  switch (from.type()) {
    case simdjson::dom::element_type::OBJECT: {
      if (depth + 1 > max_depth) return false;
      to = json::object();
      auto& members = to.get_ref<json::object_t&>();
      for (auto [key, value] : simdjson::dom::object(from)) {
        auto [it, inserted] = members.try_emplace(std::string(key));
        if (!inserted || !copy_tree(value, it->second, depth + 1, max_depth)) {
          return false;
        }
      }
      return true;
    }
    case simdjson::dom::element_type::ARRAY: {
      if (depth + 1 > max_depth) return false;
      to = json::array();
      auto& elements = to.get_ref<json::array_t&>();
      for (auto value : simdjson::dom::array(from)) {
        elements.emplace_back();
        if (!copy_tree(value, elements.back(), depth + 1, max_depth)) {
          return false;
        }
      }
      return true;
    }
    case simdjson::dom::element_type::INT64: {
      // nlohmann keeps every integer written without a minus sign as
      // unsigned; simdjson keeps what fits as signed.
      std::int64_t n = from.get_int64().value_unsafe();
      if (n >= 0) {
        to = std::uint64_t(n);
      } else {
        to = n;
      }
      return true;
    }
    case simdjson::dom::element_type::UINT64:
      to = std::uint64_t(from.get_uint64().value_unsafe());
      return true;
    case simdjson::dom::element_type::DOUBLE:
      to = from.get_double().value_unsafe();
      return true;
    case simdjson::dom::element_type::STRING:
      to = std::string(from.get_string().value_unsafe());
      return true;
    case simdjson::dom::element_type::BOOL:
      to = from.get_bool().value_unsafe();
      return true;
    case simdjson::dom::element_type::NULL_VALUE:
      to = nullptr;
      return true;
  }
  return false;
}

// Whether the text may hold the integer -0, which nlohmann keeps as a
// signed zero and simdjson reports as the same 0 as "0". A "-0" inside a
// string matches too; that only costs the slow path.
bool may_hold_negative_zero(std::string_view text) {
  for (auto at = text.find("-0"); at != std::string_view::npos;
       at = text.find("-0", at + 2)) {
    char next = at + 2 < text.size() ? text[at + 2] : ' ';
    if (next != '.' && next != 'e' && next != 'E') return true;
  }
  return false;
}

std::optional<json> parse_fast(std::string_view text, std::size_t max_depth) {
  if (may_hold_negative_zero(text)) return std::nullopt;
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(text.data(), text.size()).get(root) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  json doc;
  if (!copy_tree(root, doc, 0, max_depth)) return std::nullopt;
  return doc;
}

}  // namespace

std::optional<json> parse_strict(std::string_view text, std::string& error,
                                 std::size_t max_depth) {
  error.clear();
  if (text.find('\0') == std::string_view::npos) {
    if (auto doc = parse_fast(text, max_depth)) return doc;
  }
  return parse_strict_reference(text, error, max_depth);
}

std::optional<json> parse_strict_reference(std::string_view text,
                                           std::string& error,
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

bool same_document(const json& a, const json& b) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case json::value_t::object: {
      const auto& x = a.get_ref<const json::object_t&>();
      const auto& y = b.get_ref<const json::object_t&>();
      if (x.size() != y.size()) return false;
      for (auto i = x.begin(), j = y.begin(); i != x.end(); ++i, ++j) {
        if (i->first != j->first || !same_document(i->second, j->second)) {
          return false;
        }
      }
      return true;
    }
    case json::value_t::array: {
      if (a.size() != b.size()) return false;
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (!same_document(a[i], b[i])) return false;
      }
      return true;
    }
    case json::value_t::number_float: {
      double x = a.get<double>(), y = b.get<double>();
      return x == y && std::signbit(x) == std::signbit(y);
    }
    default:
      return a == b;
  }
}

}  // namespace evd::proto
