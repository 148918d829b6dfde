#include "exporter/core/logging.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace smoke::core {
namespace {

std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
std::atomic<int> g_format{static_cast<int>(LogFormat::kLogfmt)};
std::mutex g_mu;
std::function<void(const std::string&)> g_sink;

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kError: return "error";
  }
  return "info";
}

void AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void AppendLogfmtValue(std::string& out, std::string_view s) {
  bool needs_quotes = s.empty();
  for (unsigned char c : s) {
    if (c <= ' ' || c == '=' || c == '"' || c == '\\' || c >= 0x7f) needs_quotes = true;
  }
  if (needs_quotes) {
    AppendJsonString(out, s);
  } else {
    out += s;
  }
}

std::string NowTimestamp() {
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms.count()));
  return buf;
}

}  // namespace

Result<LogLevel> ParseLogLevel(std::string_view name) {
  if (name == "debug") return LogLevel::kDebug;
  if (name == "info") return LogLevel::kInfo;
  if (name == "warn") return LogLevel::kWarn;
  if (name == "error") return LogLevel::kError;
  return Status::Error("unknown log level \"" + std::string(name) +
                       "\" (expected debug, info, warn or error)");
}

Result<LogFormat> ParseLogFormat(std::string_view name) {
  if (name == "logfmt") return LogFormat::kLogfmt;
  if (name == "json") return LogFormat::kJson;
  return Status::Error("unknown log format \"" + std::string(name) +
                       "\" (expected logfmt or json)");
}

void ConfigureLogging(LogLevel level, LogFormat format) {
  g_level = static_cast<int>(level);
  g_format = static_cast<int>(format);
}

void SetLogSink(std::function<void(const std::string&)> sink) {
  std::lock_guard lock(g_mu);
  g_sink = std::move(sink);
}

bool LogEnabled(LogLevel level) { return static_cast<int>(level) >= g_level.load(); }

std::string FormatLogLine(std::string_view timestamp, LogLevel level, std::string_view message,
                          const LogFields& fields, LogFormat format) {
  std::string out;
  if (format == LogFormat::kJson) {
    out += "{\"ts\":";
    AppendJsonString(out, timestamp);
    out += ",\"level\":";
    AppendJsonString(out, LevelName(level));
    out += ",\"msg\":";
    AppendJsonString(out, message);
    for (const auto& [key, value] : fields) {
      out += ',';
      AppendJsonString(out, key);
      out += ':';
      AppendJsonString(out, value);
    }
    out += '}';
    return out;
  }
  out += "ts=";
  out += timestamp;
  out += " level=";
  out += LevelName(level);
  out += " msg=";
  AppendLogfmtValue(out, message);
  for (const auto& [key, value] : fields) {
    out += ' ';
    out += key;
    out += '=';
    AppendLogfmtValue(out, value);
  }
  return out;
}

void Log(LogLevel level, std::string_view message, const LogFields& fields) {
  if (!LogEnabled(level)) return;
  std::string line = FormatLogLine(NowTimestamp(), level, message, fields,
                                   static_cast<LogFormat>(g_format.load()));
  std::lock_guard lock(g_mu);
  if (g_sink) {
    g_sink(line);
  } else {
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stderr);
  }
}

}  // namespace smoke::core
