// A main() for the fuzz targets when the compiler has no libFuzzer (g++): runs
// LLVMFuzzerTestOneInput once over every file named on the command line and every file inside
// the directories named there, so corpora and regressions still run as tests. Exits 0 if every
// input returned (a crash aborts the process, which the test reports).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

void RunFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

}  // namespace

int main(int argc, char** argv) {
  size_t inputs = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path arg(argv[i]);
    if (std::filesystem::is_directory(arg)) {
      std::vector<std::filesystem::path> files;
      for (const auto& entry : std::filesystem::recursive_directory_iterator(arg)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
      for (const auto& file : files) RunFile(file);
      inputs += files.size();
    } else if (std::filesystem::is_regular_file(arg)) {
      RunFile(arg);
      ++inputs;
    } else {
      std::fprintf(stderr, "replay: %s: no such file or directory\n", argv[i]);
      return 2;
    }
  }
  std::printf("replay: %zu inputs ran without a crash\n", inputs);
  return 0;
}
