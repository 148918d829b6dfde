#pragma once
// Collects every error and warning found while loading one config file, so that a user fixes
// them all in one round instead of one per restart. Each finding carries the 1-based position
// of the YAML node it is about; output is sorted by position.
// Thread-safety: not thread-safe; one instance per load.

#include <string>
#include <vector>

#include "exporter/config/config.h"

namespace smoke::config {

// 1-based line and column inside the config file; line 0 means unknown.
struct Mark {
  int line = 0;
  int column = 0;
};

inline bool operator<(Mark a, Mark b) {
  return a.line != b.line ? a.line < b.line : a.column < b.column;
}

class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}

  // Identical findings (same position and text) are kept once: a module's block is parsed again
  // for every probe built from it and must not repeat its errors.
  void Error(Mark at, std::string message);
  void Warning(Mark at, std::string message);

  bool has_errors() const { return !errors_.empty(); }
  // Counts every Error() call, duplicates included, so a parser can tell whether the node it just
  // parsed had an error even when the message was already known.
  int error_calls() const { return error_calls_; }
  const std::string& file() const { return file_; }
  SourcePos Position(Mark at) const { return SourcePos{file_, at.line, at.column}; }

  // One "FILE:LINE:COL: MESSAGE" line per error, sorted by position, joined by '\n'.
  std::string FormatErrors() const;
  // The same format, one entry per warning, sorted by position.
  std::vector<std::string> FormatWarnings() const;

 private:
  struct Finding {
    Mark at;
    std::string message;
  };
  static void Add(std::vector<Finding>& list, Mark at, std::string message);
  std::vector<std::string> Format(const std::vector<Finding>& list) const;

  std::string file_;
  std::vector<Finding> errors_;
  std::vector<Finding> warnings_;
  int error_calls_ = 0;
};

}  // namespace smoke::config
