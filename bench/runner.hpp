// One benchmark run against one broker: N subscribers subscribe (and decoy
// connections make subscriptions that match nothing), one publisher sends,
// every subscriber checks what it received, and the outcome is summarised.
// The runner owns the connections; they run on `threads` I/O threads, each
// on its own strand, and the runner's own state lives on a strand of its
// own.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/event_source.hpp"
#include "bench/frame.hpp"
#include "bench/stats.hpp"
#include "bench/wire.hpp"
#include "proto/address.hpp"

namespace evd::bench {

struct run_options {
  broker_kind broker = broker_kind::evd;
  proto::address where;  // unused for broker_kind::loopback
  unsigned subscribers = 1;
  std::uint64_t events = 100'000;
  event_source source;
  double rate = 0;              // events per second; 0 = unpaced
  std::uint64_t window = 4096;  // 0 = open loop
  std::chrono::milliseconds timeout{60'000};
  unsigned threads = 1;
  nlohmann::json filters;  // evd only; null = exact match on the type
  parse_mode parse = parse_mode::sax;
  unsigned decoys = 0;       // subscriptions that match no event
  unsigned decoy_conns = 0;  // connections they are spread over
  int server_pid = 0;        // the broker's process, for its memory; 0 = none
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
  double delivered_bytes = 0;   // event bytes in them (mean size x count)
  // The broker's resident memory before the first connection and once
  // every subscription is made; 0 when unknown.
  std::uint64_t server_rss_before_kib = 0;
  std::uint64_t server_rss_idle_kib = 0;
  std::chrono::duration<double> client_cpu{};  // the bench's own CPU time
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
