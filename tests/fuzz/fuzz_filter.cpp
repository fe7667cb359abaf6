// libFuzzer target: subscription filters. The input is tried as a filter
// list in JSON and as a CloudEvents SQL expression; whatever compiles is
// evaluated against a few events with missing, odd and nested attributes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "match/filter.hpp"
#include "proto/strict_json.hpp"

namespace {

using json = nlohmann::json;

const json& sample_events() {
  static const json events = json::array({
      json::object(),
      {{"specversion", "1.0"},
       {"id", "1"},
       {"source", "/s"},
       {"type", "com.example.x"},
       {"data", {{"n", 42}, {"s", "text"}, {"a", {1, 2}}}}},
      {{"type", 7}, {"id", nullptr}, {"data", "not an object"}},
      {{"x", -2147483649.5}, {"y", true}, {"subject", ""}},
  });
  return events;
}

void evaluate(const std::optional<evd::match::filter>& f) {
  if (!f) return;
  for (const auto& ev : sample_events()) (void)f->matches(ev);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;

  // As JSON: a list of filters, or one filter wrapped in a list.
  if (auto specs = evd::proto::parse_strict(text, error)) {
    evaluate(evd::match::filter::compile_list(*specs, error));
    evaluate(evd::match::filter::compile_list(json::array({*specs}), error));
  }

  // As SQL, bytes and all: the sql dialect takes any string.
  json sql = json::array({{{"sql", std::string(text)}}});
  evaluate(evd::match::filter::compile_list(sql, error));
  return 0;
}
