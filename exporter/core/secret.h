#pragma once
// A credential read from a *_file or *_env config key. The value is only reachable through
// value(); printing, logging or serialising a Secret shows where it came from, never what it is.
// Thread-safety: immutable after construction.

#include <string>
#include <utility>

namespace smoke::core {

class Secret {
 public:
  Secret() = default;
  // `source` describes the origin without the value, e.g. "env:API_TOKEN", "file:/run/pw".
  static Secret Resolved(std::string value, std::string source) {
    Secret s;
    s.value_ = std::move(value);
    s.source_ = std::move(source);
    s.present_ = true;
    return s;
  }
  // The key was configured but could not be read; probes using it are skipped.
  static Secret Unresolved(std::string source, std::string why) {
    Secret s;
    s.source_ = std::move(source);
    s.error_ = std::move(why);
    return s;
  }

  bool configured() const { return !source_.empty(); }
  bool present() const { return present_; }
  const std::string& value() const { return value_; }
  const std::string& source() const { return source_; }
  // Why an unresolved secret could not be read (no secret value in it).
  const std::string& error() const { return error_; }
  // What may be shown to people: "<secret from env:API_TOKEN>".
  std::string Redacted() const { return "<secret from " + source_ + ">"; }

 private:
  std::string value_;
  std::string source_;
  std::string error_;
  bool present_ = false;
};

}  // namespace smoke::core
