// How evd_bench tells what a run measured: one summary line on stdout that
// scripts parse, and the details of anything that went wrong on stderr.
#pragma once

#include <string>

#include "bench/runner.hpp"

namespace evd::bench {

// The summary as key=value fields, e.g. `transport=unix subscribers=1 ...
// lost=0 result=ok`. Rates are per second, latencies in microseconds.
std::string summary_line(const run_options& opts, const run_result& r);

// One stderr line per problem: timeout, setup or publisher failure, and
// each subscriber that lost, duplicated or reordered events or was closed.
void report_problems(const run_result& r);

}  // namespace evd::bench
