// bench_tsdb_bytes: bytes per sample of our MemoryStorage on probe series, against Prometheus's
// own chunk encoding of exactly the same samples, in one run (issues 5 and 9).
//
// A synthetic probe fleet (bench/common/probe_fleet.h: the series smoke_exporter exports per
// probe, with nanosecond durations) is scraped by tsdb::SelfScraper into a MemoryStorage, as the
// exporter's engine does, every --interval seconds for --hours. Our figure is
// StorageStats::bytes_per_sample (encoded chunk bytes / samples, what smoke_tsdb_bytes_per_sample
// reports). The samples are then read back from our chunks, written as OpenMetrics, and turned
// into TSDB blocks by promtool (Prometheus's head appender and XOR chunk encoder); its figure is
// the chunk data bytes of those blocks per sample. Both run twice: with scrape times exactly on
// the interval (what our self-scrape stamps), and with +-1 ms of jitter on each.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "bench/common/exposition_text.h"
#include "bench/common/machine.h"
#include "bench/common/probe_fleet.h"
#include "bench/common/prometheus_server.h"
#include "bench/tsdb_bytes/openmetrics_export.h"
#include "bench/tsdb_bytes/prometheus_blocks.h"
#include "exporter/core/clock.h"
#include "exporter/tsdb/memory_storage.h"
#include "exporter/tsdb/self_scraper.h"

namespace smoke::bench {
namespace {

struct Flags {
  int probes = 20;
  int hours = 6;
  int interval_s = 15;
  bool keep = false;
};

struct Variant {
  const char* name;
  int jitter_ms;  // scrape times are off the interval by up to this, either way
};

struct Family {
  size_t series = 0;
  uint64_t samples = 0;
  uint64_t bytes = 0;
};

int Fail(const core::Status& s) {
  std::fprintf(stderr, "bench_tsdb_bytes: %s\n", s.message().c_str());
  return 2;
}

int Run(const Flags& flags) {
  std::printf(
      "bench_tsdb_bytes: bytes per sample, our MemoryStorage vs Prometheus's chunks of "
      "the same samples\n");
  std::printf("machine: %s\n", DescribeMachine().c_str());
  std::printf(
      "peer: promtool tsdb create-blocks-from openmetrics (%s): Prometheus's head "
      "appender and XOR chunks\n",
      PrometheusVersion().c_str());
  char tmpl[] = "/tmp/bench_tsdb_bytes.XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return Fail(core::Status::Error("mkdtemp failed"));
  struct Cleanup {
    std::string dir;
    bool keep;
    ~Cleanup() {
      if (!keep) std::filesystem::remove_all(dir);
    }
  } cleanup{tmpl, flags.keep};

  const int64_t interval_ms = 1000LL * flags.interval_s;
  const int64_t scrapes = 3600LL * flags.hours / flags.interval_s;
  // Start a second after a 2 h boundary, so that Prometheus's blocks (2 h, aligned) are full and
  // no jitter crosses a boundary.
  const int64_t start_ms = 1'799'992'800'000 + 1000;
  std::map<std::string, Family> families;  // of the first variant
  size_t series = 0;
  std::printf("\n%-14s %10s %8s %8s %12s %14s %14s %8s\n", "TIMESTAMPS", "SAMPLES", "SERIES",
              "CHUNKS", "OURS B/smpl", "PROM B/smpl", "PROM file B/s", "RATIO");
  for (const Variant& v : {Variant{"on interval", 0}, Variant{"+-1 ms jitter", 1}}) {
    ProbeFleet fleet(FleetOptions{flags.probes, 1});
    tsdb::MemoryStorage storage;
    int64_t now_ms = 0;  // the scrape in progress: the probes ran just before it
    tsdb::SelfScraper scraper(
        [&]() -> core::Result<std::string> {
          std::string text;
          fleet.Step(now_ms, &text);
          return text;
        },
        storage, core::SystemClock::Default(),
        promql::Labels{{"job", "smoke"}, {"instance", "127.0.0.1:9117"}});
    for (int64_t k = 0; k < scrapes; ++k) {
      const int64_t jitter =
          v.jitter_ms == 0 ? 0 : static_cast<int64_t>(Mix(7, static_cast<uint64_t>(k)) % 3) - 1;
      const int64_t t = start_ms + k * interval_ms + jitter;
      now_ms = t;
      core::Result<tsdb::ScrapeResult> r = scraper.ScrapeOnce(t);
      if (!r.ok()) return Fail(r.status());
    }
    const tsdb::StorageStats ours = storage.Stats();
    series = ours.series;
    if (families.empty()) {
      for (const auto& s : storage.ExportChunks()) {
        Family& f = families[std::string(s.labels.Get("__name__"))];
        ++f.series;
        for (const tsdb::XorChunk& c : s.chunks) {
          f.samples += c.count();
          f.bytes += c.bytes().size();
        }
      }
    }

    const std::string om = cleanup.dir + "/samples.om";
    const std::string blocks = cleanup.dir + "/blocks";
    std::filesystem::remove_all(blocks);
    core::Result<uint64_t> written = WriteOpenMetrics(storage, om);
    if (!written.ok()) return Fail(written.status());
    if (core::Status s = CreateBlocks(om, blocks); !s.ok()) return Fail(s);
    core::Result<BlockStats> prom = ReadBlocks(blocks);
    if (!prom.ok()) return Fail(prom.status());
    std::filesystem::remove(om);
    if (prom->samples != ours.samples) {
      return Fail(core::Status::Error("Prometheus stored " + std::to_string(prom->samples) +
                                      " samples, we stored " + std::to_string(ours.samples)));
    }
    const double prom_bps =
        static_cast<double>(prom->chunk_data_bytes) / static_cast<double>(prom->samples);
    const double prom_file_bps =
        static_cast<double>(prom->chunk_file_bytes) / static_cast<double>(prom->samples);
    std::printf("%-14s %10zu %8zu %8zu %12.3f %14.3f %14.3f %8.3f\n", v.name, ours.samples,
                ours.series, ours.chunks, ours.bytes_per_sample, prom_bps, prom_file_bps,
                ours.bytes_per_sample / prom_bps);
    std::printf(
        "%-14s %10llu %8llu %8llu   (Prometheus: %zu blocks; its chunk count and series "
        "are per block)\n",
        "", static_cast<unsigned long long>(prom->samples),
        static_cast<unsigned long long>(prom->series),
        static_cast<unsigned long long>(prom->chunks), prom->blocks);
  }
  std::printf(
      "\ndata: %d probes (%zu series) scraped by tsdb::SelfScraper every %d s for %d h "
      "(%lld scrapes)\n",
      flags.probes, series, flags.interval_s, flags.hours, static_cast<long long>(scrapes));
  std::printf(
      "OURS = StorageStats::bytes_per_sample (encoded chunk bytes / samples, as "
      "smoke_tsdb_bytes_per_sample); PROM = chunk data bytes in promtool's blocks / "
      "samples (its XOR chunks incl. their 2-byte count); PROM file = its chunk segment "
      "files (+ length, encoding, CRC32 per chunk) / samples. Neither counts the index or "
      "in-memory series overhead.\n");
  std::printf(
      "target (issue 9): <= 2 bytes per sample; RATIO = OURS / PROM (below 1: ours is "
      "smaller)\n");
  std::printf("\nours by family (on interval): %-40s %7s %10s %8s\n", "", "SERIES", "SAMPLES",
              "B/smpl");
  for (const auto& [name, f] : families) {
    std::printf("  %-68s %7zu %10llu %8.3f\n", name.c_str(), f.series,
                static_cast<unsigned long long>(f.samples),
                static_cast<double>(f.bytes) / static_cast<double>(f.samples));
  }
  std::printf(
      "\nreproduce: bench/run.sh tsdb_bytes    (that is: bench_tsdb_bytes --probes %d "
      "--hours %d --interval %d)\n",
      flags.probes, flags.hours, flags.interval_s);
  return 0;
}

}  // namespace
}  // namespace smoke::bench

int main(int argc, char** argv) {
  smoke::bench::Flags f;
  CLI::App app{"TSDB bytes per sample: our MemoryStorage vs Prometheus's chunks"};
  app.add_option("--probes", f.probes, "probes in the synthetic fleet")
      ->check(CLI::Range(1, 10000));
  app.add_option("--hours", f.hours, "hours of samples")->check(CLI::Range(1, 48));
  app.add_option("--interval", f.interval_s, "scrape interval, seconds")->check(CLI::Range(1, 300));
  app.add_flag("--keep", f.keep, "keep the work directory");
  CLI11_PARSE(app, argc, argv);
  return smoke::bench::Run(f);
}
