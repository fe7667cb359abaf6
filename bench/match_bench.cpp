// match_bench: how fast the subscription index finds the subscriptions an
// event passes, on one core, as the number of subscriptions grows. Runs in
// process on the real events of a dataset (see docs/bench.md, "Matching");
// no daemon, no sockets.
#include <malloc.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#ifdef EVD_BENCH_SIMDJSON
#include <simdjson.h>
#endif

#include "match/filter.hpp"
#include "match/subscription_index.hpp"

namespace {

using json = nlohmann::json;
using evd::match::filter;
using evd::match::subscription_index;

struct dataset {
  std::vector<std::string> lines;
  std::vector<json> events;
  std::size_t bytes = 0;
};

dataset load(const std::string& path) {
  dataset d;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    d.bytes += line.size();
    d.events.push_back(json::parse(line));
    d.lines.push_back(std::move(line));
  }
  return d;
}

// Ten subscriptions that real events pass, present at every size, so that
// every size does the same matching work and differs only in what the
// index must skip. The last is pure CESQL: no key, evaluated per event.
const char* const live_filters[] = {
    R"([{"exact":{"type":"com.github.push"}}])",
    R"([{"prefix":{"source":"https://github.com/octo-org/"}}])",
    R"([{"exact":{"data.sender.login":"octocat"}}])",
    R"([{"prefix":{"type":"com.github.pull_request."}}])",
    R"([{"exact":{"data.repository.full_name":"Octocoders/Hello-World"}}])",
    R"([{"exact":{"data.action":"deleted"}}])",
    R"([{"prefix":{"source":"https://github.com/Codertocat/"}},
        {"exact":{"data.action":"created"}}])",
    R"([{"exact":{"type":"com.github.release.published"}}])",
    R"([{"exact":{"subject":"octo-org/octo-repo"}},
        {"sql":"data.action = 'created' OR data.action = 'edited'"}])",
    R"([{"sql":"data.action = 'completed' AND data.sender.login = 'Codertocat'"}])",
};

const char* const event_names[] = {
    "push",
    "pull_request.opened",
    "issues.opened",
    "issue_comment.created",
    "release.published",
    "check_run.completed",
    "create",
    "delete",
    "fork",
    "deployment.created",
};

// The other subscriptions: the same four shapes (exact on type, prefix on
// source, a data path, CESQL behind an exact key), naming organisations,
// repositories and users that the dataset does not hold, as most of a busy
// broker's subscriptions watch someone else's repository.
json noise_filter(std::size_t i) {
  const std::string org = "org-" + std::to_string(i % 7919);
  const std::string repo = org + "/repo-" + std::to_string(i);
  const std::string type =
      std::string("com.github.") + event_names[i % std::size(event_names)];
  switch (i % 4) {
    case 0:
      return json::array({{{"exact", {{"type", type}}}},
                          {{"exact", {{"data.repository.full_name", repo}}}}});
    case 1:
      return json::array(
          {{{"prefix", {{"source", "https://github.com/" + repo}}}}});
    case 2:
      return json::array(
          {{{"exact", {{"data.sender.login", "user-" + std::to_string(i)}}}}});
    default:
      return json::array(
          {{{"exact", {{"subject", repo}}}},
           {{"sql", "data.action = 'opened' OR data.action = 'closed'"}}});
  }
}

std::vector<std::shared_ptr<const filter>> make_mix(std::size_t count) {
  std::vector<std::shared_ptr<const filter>> mix;
  mix.reserve(count);
  std::string error;
  for (std::size_t i = 0; i < count; ++i) {
    json spec = i < std::size(live_filters) ? json::parse(live_filters[i])
                                            : noise_filter(i);
    auto compiled = filter::compile_list(spec, error);
    if (!compiled) throw std::runtime_error("bad bench filter: " + error);
    mix.push_back(std::make_shared<const filter>(std::move(*compiled)));
  }
  return mix;
}

std::size_t heap_in_use() { return mallinfo2().uordblks; }

// This thread's CPU time: on a shared machine, what one core spent.
double cpu_seconds() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + t.tv_nsec * 1e-9;
}

// Runs `round` (one pass over the dataset) until `seconds` of CPU time have
// passed; returns passes per CPU second.
template <typename Round>
double passes_per_second(double seconds, Round round) {
  double start = cpu_seconds();
  std::size_t passes = 0;
  double spent = 0;
  do {
    round();
    ++passes;
    spent = cpu_seconds() - start;
  } while (spent < seconds);
  return static_cast<double>(passes) / spent;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

struct size_result {
  std::size_t subscriptions = 0;
  double events_per_second = 0;
  double parse_match_mb_per_second = 0;
  double filter_bytes = 0;  // per subscription
  double index_bytes = 0;   // per subscription
  double mean_matches = 0;
  std::size_t max_matches = 0;
  double evaluations_per_event = 0;
  std::size_t unindexed = 0;
};

// Compares the index with evaluating every filter on every event; a
// benchmark of a wrong answer is worth nothing.
bool agrees(subscription_index& index,
            const std::vector<std::shared_ptr<const filter>>& mix,
            const dataset& data, std::size_t events) {
  std::vector<subscription_index::id> found;
  for (std::size_t e = 0; e < events && e < data.events.size(); ++e) {
    found.clear();
    index.find_matches(data.events[e], found);
    std::sort(found.begin(), found.end());
    std::vector<subscription_index::id> expected;
    for (std::size_t i = 0; i < mix.size(); ++i) {
      if (mix[i]->matches(data.events[e])) expected.push_back(i);
    }
    if (found != expected) return false;
  }
  return true;
}

// Matching alone, on documents parsed beforehand.
double events_per_second(subscription_index& index, const dataset& data,
                         double seconds) {
  std::vector<subscription_index::id> found;
  auto pass = [&] {
    for (const json& event : data.events) {
      found.clear();
      index.find_matches(event, found);
    }
  };
  return static_cast<double>(data.events.size()) *
         passes_per_second(seconds, pass);
}

// Parsing each event's bytes, then matching the document.
double parse_mb_per_second(subscription_index& index, const dataset& data,
                           double seconds) {
  std::vector<subscription_index::id> found;
  auto pass = [&] {
    for (const std::string& line : data.lines) {
      json event = json::parse(line);
      found.clear();
      index.find_matches(event, found);
    }
  };
  return static_cast<double>(data.bytes) / 1e6 *
         passes_per_second(seconds, pass);
}

struct settings {
  double seconds = 1.0;
  int runs = 5;
  std::size_t check_events = 329;
  bool parse = true;
};

size_result measure(std::size_t count, const dataset& data,
                    const settings& how) {
  size_result r;
  r.subscriptions = count;
  std::size_t before = heap_in_use();
  auto mix = make_mix(count);
  std::size_t with_filters = heap_in_use();
  subscription_index index;
  for (std::size_t i = 0; i < mix.size(); ++i) index.insert(i, mix[i]);
  std::size_t with_index = heap_in_use();
  r.filter_bytes = static_cast<double>(with_filters - before) / count;
  r.index_bytes = static_cast<double>(with_index - with_filters) / count;
  r.unindexed = index.unindexed();

  if (!agrees(index, mix, data, how.check_events)) {
    throw std::runtime_error("index and plain evaluation disagree at " +
                             std::to_string(count) + " subscriptions");
  }

  std::vector<subscription_index::id> found;
  std::uint64_t evaluated_before = index.evaluations();
  std::size_t total = 0;
  for (const json& event : data.events) {
    found.clear();
    index.find_matches(event, found);
    total += found.size();
    r.max_matches = std::max(r.max_matches, found.size());
  }
  const double n = static_cast<double>(data.events.size());
  r.mean_matches = static_cast<double>(total) / n;
  r.evaluations_per_event =
      static_cast<double>(index.evaluations() - evaluated_before) / n;

  std::vector<double> match_rates;
  std::vector<double> parse_rates;
  for (int run = 0; run < how.runs; ++run) {
    match_rates.push_back(events_per_second(index, data, how.seconds));
    if (how.parse) {
      parse_rates.push_back(parse_mb_per_second(index, data, how.seconds));
    }
  }
  r.events_per_second = median(match_rates);
  if (how.parse) r.parse_match_mb_per_second = median(parse_rates);
  return r;
}

// Parsing alone, to show how much of parse plus match is the parser.
double nlohmann_parse_mb_per_second(const dataset& data, double seconds,
                                    int runs) {
  auto pass = [&] {
    for (const std::string& line : data.lines) {
      json event = json::parse(line);
      if (event.empty()) std::abort();
    }
  };
  std::vector<double> rates;
  for (int run = 0; run < runs; ++run) {
    rates.push_back(static_cast<double>(data.bytes) / 1e6 *
                    passes_per_second(seconds, pass));
  }
  return median(rates);
}

#ifdef EVD_BENCH_SIMDJSON
// The remedy's ceiling: what a SIMD parser takes to build its own tree of
// the same events (no matching: the index reads nlohmann documents).
double simdjson_parse_mb_per_second(const dataset& data, double seconds,
                                    int runs) {
  simdjson::dom::parser parser;
  std::vector<simdjson::padded_string> padded;
  for (const std::string& line : data.lines) padded.emplace_back(line);
  auto pass = [&] {
    for (const auto& line : padded) {
      simdjson::dom::element doc;
      if (parser.parse(line).get(doc)) std::abort();
    }
  };
  std::vector<double> rates;
  for (int run = 0; run < runs; ++run) {
    rates.push_back(static_cast<double>(data.bytes) / 1e6 *
                    passes_per_second(seconds, pass));
  }
  return median(rates);
}
#endif

void print(const std::vector<size_result>& results, const dataset& data) {
  const double base = results.front().events_per_second;
  std::printf(
      "| subscriptions | events/s (match) | vs %zu subs | parse+match MB/s "
      "| matches/event mean (max) | evaluations/event | unindexed | "
      "filter B/sub | index B/sub |\n",
      results.front().subscriptions);
  std::printf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (const size_result& r : results) {
    std::printf(
        "| %zu | %.0f | %.2fx | %.0f | %.2f (%zu) | %.2f | %zu | %.0f | "
        "%.0f |\n",
        r.subscriptions, r.events_per_second, base / r.events_per_second,
        r.parse_match_mb_per_second, r.mean_matches, r.max_matches,
        r.evaluations_per_event, r.unindexed, r.filter_bytes, r.index_bytes);
  }
  std::printf("\nevents=%zu bytes=%zu mean_event_bytes=%.0f\n",
              data.events.size(), data.bytes,
              static_cast<double>(data.bytes) / data.events.size());
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"match_bench: subscription index throughput on one core"};
  std::string path = "../shared/datasets/github-webhooks.ndjson";
  std::vector<std::size_t> sizes{10, 1000, 10000, 100000};
  settings how;
  bool quick = false;
  bool match_only = false;
  app.add_option("--events", path, "NDJSON file of events");
  app.add_option("--subs", sizes, "subscription counts to measure")
      ->delimiter(',');
  app.add_option("--seconds", how.seconds, "CPU seconds per measurement");
  app.add_option("--runs", how.runs, "measurements per figure (median kept)");
  app.add_option("--check-events", how.check_events,
                 "events compared against plain evaluation per size");
  app.add_flag("--match-only", match_only,
               "skip parsing, e.g. to profile matching alone");
  app.add_flag("--quick", quick, "a few seconds in all, for CI");
  CLI11_PARSE(app, argc, argv);
  if (quick) {
    sizes = {10, 1000, 10000};
    how.seconds = 0.05;
    how.runs = 1;
    how.check_events = 40;
  }
  how.parse = !match_only;

  try {
    dataset data = load(path);
    std::vector<size_result> results;
    for (std::size_t count : sizes) {
      results.push_back(measure(count, data, how));
    }
    print(results, data);
    if (how.parse) {
      std::printf("nlohmann_parse_mb_s=%.0f\n",
                  nlohmann_parse_mb_per_second(data, how.seconds, how.runs));
#ifdef EVD_BENCH_SIMDJSON
      std::printf("simdjson_parse_mb_s=%.0f\n",
                  simdjson_parse_mb_per_second(data, how.seconds, how.runs));
#endif
    }
  } catch (const std::exception& e) {
    std::cerr << "match_bench: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
