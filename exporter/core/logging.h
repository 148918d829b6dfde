#pragma once
// Structured logging in logfmt or JSON, Prometheus-style levels (debug, info, warn, error).
// Log lines carry key/value context; values are quoted and escaped so a hostile string from a
// probed target cannot forge a log line.
// Thread-safety: all functions are thread-safe; lines are written atomically.

#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exporter/core/status.h"

namespace smoke::core {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };
enum class LogFormat { kLogfmt, kJson };

using LogField = std::pair<std::string, std::string>;
using LogFields = std::vector<LogField>;

Result<LogLevel> ParseLogLevel(std::string_view name);
Result<LogFormat> ParseLogFormat(std::string_view name);

// Process-wide logger settings; default: info, logfmt, stderr.
void ConfigureLogging(LogLevel level, LogFormat format);
// Replaces the output sink (tests capture lines with this). Pass nullptr to restore stderr.
void SetLogSink(std::function<void(const std::string& line)> sink);
bool LogEnabled(LogLevel level);

void Log(LogLevel level, std::string_view message, const LogFields& fields = {});
inline void LogDebug(std::string_view m, const LogFields& f = {}) { Log(LogLevel::kDebug, m, f); }
inline void LogInfo(std::string_view m, const LogFields& f = {}) { Log(LogLevel::kInfo, m, f); }
inline void LogWarn(std::string_view m, const LogFields& f = {}) { Log(LogLevel::kWarn, m, f); }
inline void LogError(std::string_view m, const LogFields& f = {}) { Log(LogLevel::kError, m, f); }

// Formats one line (without trailing newline); exposed for tests.
std::string FormatLogLine(std::string_view timestamp, LogLevel level, std::string_view message,
                          const LogFields& fields, LogFormat format);

}  // namespace smoke::core
