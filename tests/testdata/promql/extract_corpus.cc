// One-off extraction of every rule expression in the Prometheus rule-file corpus into
// corpus_exprs.txt, which the promql tests read (they must not depend on yaml-cpp or on the corpus
// living beside the repository). yaml-cpp is used instead of a hand-written YAML reader so that
// block scalars (|, |-, >), quoted and multi-line plain scalars are all read exactly.
//
// Regenerate (from the repository root, with shared/ beside it):
//   g++ -std=c++20 -O1 tests/testdata/promql/extract_corpus.cc -lyaml-cpp -o /tmp/extract_corpus
//   /tmp/extract_corpus ../shared/reference/rule-corpus > tests/testdata/promql/corpus_exprs.txt
//
// Every YAML document of every *.yml/*.yaml file is read; documents without a "groups" list (for
// example Sloth SLO specs) are skipped. Output format: a preamble ending with a line "%%", then
// one record per rule:
//   # <file relative to the corpus root>:<record or alert name>
//   <the expression, possibly several lines>
//   %%
// Trailing newlines of an expression are dropped. No expression contains a line "%%".

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " <rule-corpus dir>\n";
    return 2;
  }
  const fs::path root(argv[1]);
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const std::string ext = entry.path().extension().string();
    if (entry.is_regular_file() && (ext == ".yml" || ext == ".yaml")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());

  std::cout << "# Rule expressions extracted from shared/reference/rule-corpus by\n"
            << "# tests/testdata/promql/extract_corpus.cc (see there for how to regenerate).\n"
            << "# Records: a \"# <file>:<rule>\" line, the expression, a line \"%%\".\n"
            << "%%\n";
  int count = 0;
  for (const fs::path& file : files) {
    const std::string rel = fs::relative(file, root).generic_string();
    std::vector<YAML::Node> docs;
    try {
      docs = YAML::LoadAllFromFile(file.string());
    } catch (const YAML::Exception& e) {
      std::cerr << rel << ": " << e.what() << "\n";
      return 1;
    }
    for (const YAML::Node& doc : docs) {
      if (!doc.IsMap() || !doc["groups"] || !doc["groups"].IsSequence()) continue;
      for (const YAML::Node& group : doc["groups"]) {
        if (!group["rules"] || !group["rules"].IsSequence()) continue;
        for (const YAML::Node& rule : group["rules"]) {
          if (!rule.IsMap() || !rule["expr"]) continue;
          std::string name;
          if (rule["record"]) name = rule["record"].as<std::string>();
          if (rule["alert"]) name = rule["alert"].as<std::string>();
          std::string expr = rule["expr"].as<std::string>();
          while (!expr.empty() && expr.back() == '\n') expr.pop_back();
          std::cout << "# " << rel << ":" << name << "\n" << expr << "\n%%\n";
          ++count;
        }
      }
    }
  }
  std::cerr << count << " expressions from " << files.size() << " files\n";
  return 0;
}
