// evctl's subcommands. Each returns the process exit code and prints
// evd's errors plainly on stderr.
#pragma once

#include <string>
#include <vector>

#include "proto/address.hpp"

namespace evd::cli {

struct pub_options {
  std::vector<std::string> events;  // given on the command line
  std::string file;                 // NDJSON file; "-" or empty = stdin
};

// Publishes each event, pipelined, and waits for every acknowledgement.
int run_pub(const proto::address& where, const pub_options& opts);

struct watch_options {
  std::string sub = "watch";
  std::vector<std::string> exact, prefix, suffix;  // NAME=VALUE
  std::vector<std::string> filters;                // raw filter JSON
  std::vector<std::string> sql;                    // CESQL expressions
  bool frames = false;  // print whole frames, not just events
};

// Subscribes and prints each event as one JSON line until interrupted.
int run_watch(const proto::address& where, const watch_options& opts);

// Sends a ping; succeeds when the pong arrives within `timeout_ms`.
int run_ping(const proto::address& where, int timeout_ms);

// Asks evd for its counters and prints them, one `name value` a line, or
// the reply as it came with `raw`.
int run_stats(const proto::address& where, bool raw);

}  // namespace evd::cli
