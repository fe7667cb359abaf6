// Runs the unedited CloudEvents SQL conformance suite (TCK) against the
// engine. The suite directory is fixed at build time and may be overridden
// with the EVD_CESQL_TCK_DIR environment variable.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "match/cesql/expression.hpp"

namespace {

using json = nlohmann::json;
namespace cesql = evd::cesql;

std::filesystem::path tck_directory() {
  if (const char* dir = std::getenv("EVD_CESQL_TCK_DIR")) return dir;
  return EVD_CESQL_TCK_DIR;
}

// Reads a YAML node as JSON. Plain scalars follow the YAML 1.2 core schema
// for the types CESQL needs (booleans, integers, null); quoted scalars are
// always strings, and so is anything else, timestamps included.
json to_json(const YAML::Node& node) {
  if (node.IsMap()) {
    json object = json::object();
    for (const auto& entry : node) {
      object[entry.first.as<std::string>()] = to_json(entry.second);
    }
    return object;
  }
  if (node.IsSequence()) {
    json array = json::array();
    for (const auto& item : node) array.push_back(to_json(item));
    return array;
  }
  if (!node.IsScalar()) return nullptr;

  const std::string text = node.Scalar();
  if (node.Tag() == "!") return text;
  static const std::regex true_word("true|True|TRUE");
  static const std::regex false_word("false|False|FALSE");
  static const std::regex null_word("null|Null|NULL|~");
  static const std::regex integer("[-+]?[0-9]+");
  if (std::regex_match(text, true_word)) return true;
  if (std::regex_match(text, false_word)) return false;
  if (std::regex_match(text, null_word)) return nullptr;
  if (std::regex_match(text, integer)) return std::stoll(text);
  return text;
}

std::optional<cesql::value> to_value(const json& j) {
  if (j.is_boolean()) return cesql::value::boolean(j.get<bool>());
  if (j.is_number_integer()) {
    return cesql::value::integer(j.get<std::int32_t>());
  }
  if (j.is_string()) return cesql::value::string(j.get<std::string>());
  return std::nullopt;
}

// Any valid event: the TCK leaves the required attributes to the runner
// when a case gives no `event`.
json default_event() {
  return json{{"specversion", "1.0"},
              {"id", "tck-event"},
              {"source", "/evd/cesql-tck"},
              {"type", "dev.evd.cesql.tck"}};
}

json event_of(const YAML::Node& test) {
  json event = test["event"] ? to_json(test["event"]) : default_event();
  if (test["eventOverrides"]) {
    const json overrides = to_json(test["eventOverrides"]);
    for (const auto& [key, value] : overrides.items()) event[key] = value;
  }
  return event;
}

// Runs one case; returns an empty string when it passes, else what went
// wrong.
std::string run_case(const YAML::Node& test) {
  const std::string text = test["expression"].as<std::string>();
  std::optional<std::string> want_error;
  if (test["error"]) want_error = test["error"].as<std::string>();

  auto compiled = cesql::compile(text);
  if (!compiled) {
    if (want_error == "parse") return {};
    return "unexpected parse error: " + cesql::to_string(compiled.error());
  }
  if (want_error == "parse") return "compiled although a parse error is due";

  cesql::evaluation got = compiled->evaluate(event_of(test));
  std::string problems;
  std::string got_error = got.error ? std::string(name(*got.error)) : "none";
  if (got_error != want_error.value_or("none")) {
    problems += "error " + got_error + ", want " + want_error.value_or("none");
  }
  if (test["result"]) {
    auto want = to_value(to_json(test["result"]));
    if (!want || !(*want == got.result)) {
      if (!problems.empty()) problems += "; ";
      problems += "result " + cesql::to_string(got.result) + ", want " +
                  test["result"].as<std::string>();
    }
  }
  return problems;
}

std::vector<std::filesystem::path> suite_files(
    const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

void run_file(const std::filesystem::path& file) {
  YAML::Node suite;
  try {
    suite = YAML::LoadFile(file.string());
  } catch (const YAML::Exception& e) {
    FAIL_CHECK("cannot read " << file.string() << ": " << e.what());
    return;
  }

  std::size_t passed = 0;
  std::size_t total = 0;
  for (const auto& test : suite["tests"]) {
    ++total;
    std::string problem = run_case(test);
    if (problem.empty()) {
      ++passed;
      continue;
    }
    FAIL_CHECK(file.filename().string()
               << " case '" << test["name"].as<std::string>() << "' ("
               << test["expression"].as<std::string>() << "): " << problem);
  }
  std::cout << "cesql-tck: " << file.filename().string() << " " << passed << "/"
            << total << " passed\n";
  CHECK(total > 0);
}

}  // namespace

TEST_SUITE("tck_test") {
  TEST_CASE("every case of the CESQL conformance suite passes") {
    const std::filesystem::path dir = tck_directory();
    REQUIRE_MESSAGE(std::filesystem::is_directory(dir),
                    "CESQL TCK directory not found: " << dir.string());
    const auto files = suite_files(dir);
    REQUIRE_MESSAGE(!files.empty(), "no .yaml files in " << dir.string());
    for (const auto& file : files) run_file(file);
  }
}
