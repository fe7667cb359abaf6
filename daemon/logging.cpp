#include "daemon/logging.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <ctime>
#include <memory>
#include <string>

#include <spdlog/formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

namespace evd::daemon {
namespace {

constexpr const char* text_pattern = "%Y-%m-%dT%H:%M:%S.%e %l %v";

// 2026-12-03T19:21:35.123Z
std::string utc_timestamp(spdlog::log_clock::time_point t) {
  using namespace std::chrono;
  std::time_t secs = spdlog::log_clock::to_time_t(t);
  auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count() % 1000;
  std::tm parts{};
  ::gmtime_r(&secs, &parts);
  std::array<char, 32> text{};
  std::size_t n =
      std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%S", &parts);
  return fmt::format("{}.{:03}Z", std::string_view(text.data(), n), ms);
}

// One JSON object a line: {"ts":...,"level":...,"msg":...}. The JSON
// library escapes the message, so a peer name or a client's string in a
// log line can never break the object.
class json_formatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg,
              spdlog::memory_buf_t& dest) override {
    nlohmann::ordered_json line;
    line["ts"] = utc_timestamp(msg.time);
    auto level = spdlog::level::to_string_view(msg.level);
    line["level"] = std::string(level.data(), level.size());
    line["msg"] = std::string(msg.payload.data(), msg.payload.size());
    std::string text =
        line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    text += '\n';
    dest.append(text.data(), text.data() + text.size());
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<json_formatter>();
  }
};

}  // namespace

void configure_logging(spdlog::level::level_enum level, log_format format) {
  auto logger = spdlog::stderr_logger_mt("evd");
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(logger);
  apply_logging(level, format);
}

void apply_logging(spdlog::level::level_enum level, log_format format) {
  auto logger = spdlog::default_logger();
  if (format == log_format::json) {
    logger->set_formatter(std::make_unique<json_formatter>());
  } else {
    logger->set_pattern(text_pattern);
  }
  logger->set_level(level);
}

std::string log_value(std::string_view text) {
  auto plain = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') ||
           std::string_view("-_.:/@").find(c) != std::string_view::npos;
  };
  if (!text.empty() && std::all_of(text.begin(), text.end(), plain)) {
    return std::string(text);
  }
  // Invalid UTF-8 cannot reach here from the protocol, but the log must
  // not throw if it ever does.
  return nlohmann::json(std::string(text))
      .dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
}

}  // namespace evd::daemon
