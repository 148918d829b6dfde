// The PromQL parser and printer: any input parses or fails with an error, and whatever parses
// prints to an expression that parses again and prints identically (the printer round-trips).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "exporter/promql/parser.h"
#include "exporter/promql/printer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  auto expr = smoke::promql::ParseExpr(input);
  if (!expr.ok()) return 0;
  const std::string printed = smoke::promql::ExprToString(**expr);
  auto again = smoke::promql::ParseExpr(printed);
  if (!again.ok()) {
    std::fprintf(stderr,
                 "printed form does not parse:\n  input:   %s\n  printed: %s\n  error:   %s\n",
                 input.c_str(), printed.c_str(), again.status().message().c_str());
    std::abort();
  }
  const std::string reprinted = smoke::promql::ExprToString(**again);
  if (reprinted != printed) {
    std::fprintf(stderr,
                 "printing is not stable:\n  input:     %s\n  printed:   %s\n  reprinted: %s\n",
                 input.c_str(), printed.c_str(), reprinted.c_str());
    std::abort();
  }
  return 0;
}
