#pragma once
// Go's regexp package as Prometheus's templates use it (match, reReplaceAll), on RE2 (the engine
// Go's regexp is modelled on): compile errors in Go's words ("error parsing regexp: missing
// closing ): `(`"), and ReplaceAllString with Go's `$1`/`${name}` expansion and its handling of
// empty matches.
// Thread-safety: a GoRegexp is immutable and may be used concurrently.

#include <memory>
#include <string>
#include <string_view>

#include "exporter/core/status.h"

namespace re2 {
class RE2;
}

namespace smoke::ruler::go {

class Regexp {
 public:
  // regexp.Compile; the error text is Go's ("error parsing regexp: ...").
  static core::Result<std::shared_ptr<const Regexp>> Compile(std::string_view pattern);
  ~Regexp();

  bool MatchString(std::string_view s) const;
  std::string ReplaceAllString(std::string_view src, std::string_view repl) const;

  explicit Regexp(std::unique_ptr<re2::RE2> re);

 private:
  std::unique_ptr<re2::RE2> re_;
};

// How regexp.MustCompile panics, e.g. "regexp: Compile(`(`): error parsing regexp: ...".
std::string MustCompilePanic(std::string_view pattern, const std::string& error);

}  // namespace smoke::ruler::go
