#include "tests/unit/promql/corpus_reader.h"

#include <gtest/gtest.h>

#include <fstream>

namespace smoke::promql {

std::vector<CorpusExpr> LoadCorpus() {
  std::ifstream in(std::string(SMOKE_TESTDATA_DIR) + "/promql/corpus_exprs.txt");
  EXPECT_TRUE(in.good()) << "missing corpus_exprs.txt";
  std::vector<CorpusExpr> out;
  std::string line;
  bool in_preamble = true;
  CorpusExpr current;
  bool have_header = false;
  while (std::getline(in, line)) {
    if (in_preamble) {
      in_preamble = line != "%%";
      continue;
    }
    if (line == "%%") {
      out.push_back(std::move(current));
      current = CorpusExpr{};
      have_header = false;
      continue;
    }
    if (!have_header) {
      EXPECT_EQ(line.rfind("# ", 0), 0u) << "record without a source line: " << line;
      current.source = line.substr(2);
      have_header = true;
      continue;
    }
    if (!current.expr.empty()) current.expr += "\n";
    current.expr += line;
  }
  return out;
}

}  // namespace smoke::promql
