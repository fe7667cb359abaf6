// One benchmark run: N subscribers subscribe, one publisher sends, every
// subscriber checks what it received, and the outcome is summarised. The
// runner owns the connections; they run on `threads` I/O threads, each on
// its own strand, and the runner's own state lives on a strand of its own.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/frame.hpp"
#include "bench/stats.hpp"
#include "proto/address.hpp"

namespace evd::bench {

struct run_options {
  proto::address where;
  unsigned subscribers = 1;
  std::uint64_t events = 100'000;
  std::size_t size = 256;
  double rate = 0;              // events per second; 0 = unpaced
  std::uint64_t window = 4096;  // 0 = open loop
  std::chrono::milliseconds timeout{60'000};
  unsigned threads = 1;
  nlohmann::json filters = nlohmann::json::array();
  parse_mode parse = parse_mode::sax;
};

// A subscriber whose run was not clean, for the failure report.
struct subscriber_problem {
  std::string name;
  std::uint64_t received = 0;
  std::uint64_t lost = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t reordered = 0;
  std::uint64_t foreign = 0;
  std::string failure;
};

struct run_result {
  std::chrono::duration<double> elapsed{};     // first publish to last event
  std::chrono::duration<double> publishing{};  // first publish to its ok
  std::uint64_t delivered = 0;  // event frames, all subscribers together
  std::uint64_t lost = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t reordered = 0;
  latency_histogram latency;  // all subscribers together
  bool timed_out = false;
  std::string run_failure;        // could not connect or subscribe
  std::string publisher_failure;  // evd refused or dropped the publisher
  std::uint64_t publish_errors = 0;
  std::vector<subscriber_problem> problems;

  // Nothing lost, duplicated, reordered or refused, and no timeout.
  bool clean() const;
};

// Runs the benchmark to completion or until `opts.timeout`. Never throws
// for a misbehaving daemon: everything is reported in the result.
run_result run_bench(const run_options& opts);

}  // namespace evd::bench
