#pragma once
// Reads tests/testdata/promql/corpus_exprs.txt (written by extract_corpus.cc): a preamble ending
// in a "%%" line, then records "# <file>:<rule name>" + expression lines, each ended by "%%".

#include <string>
#include <vector>

namespace smoke::promql {

struct CorpusExpr {
  std::string source;  // "<file>:<rule name>"
  std::string expr;
};

// Every record; a missing file or a record without its source line is a test failure.
std::vector<CorpusExpr> LoadCorpus();

}  // namespace smoke::promql
