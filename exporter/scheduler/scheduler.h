#pragma once
// When each probe runs: every interval (plus jitter), under a hard deadline, on bounded worker
// pools, so that a hanging or blackholed target does not delay the probes of healthy ones.
//
// One dispatcher thread sleeps on the Clock until the earliest due time and hands due runs to
// worker threads through FIFO queues, one per lane:
//   fast  probes whose last run was quick (and new probes), on up to `max_concurrency` workers;
//   slow  probes whose last run took at least SlowThreshold (lane.h: 250 ms, or half the
//         timeout if less; a blackholed target that hangs until the deadline, a server that
//         answers in seconds), on up to `slow_max_concurrency` workers of their own.
// A run holds its worker for its whole duration, so without lanes a few hundred blackholed
// targets would occupy every worker and the healthy probes would queue behind them
// (bench/RESULTS.md, "scheduled"). A probe changes lane after each run, and a run in the fast
// lane that reaches the threshold moves, with its worker, to the slow lane, so the first runs
// against blackholed targets free the fast lane too (the slow lane may then exceed its size by
// up to the fast lane's until those runs end, and the extra workers leave). Workers are started
// on demand, up to each lane's limit.
// Http probes (Probe::RunsOnCurlLoop) need no worker: they run as tasks of one
// clients::CurlLoop, suspended while they wait on the network, so even thousands of blackholed
// targets hold no thread and delay nothing; their results reach the sink through a SinkThread.
// Their lane still follows their last run's duration and labels their metrics.
// Schedules are anchored to scheduled times, not completion times, so they do not drift; a run
// that is due while the same probe's previous run is still in flight (or still queued) is
// skipped and counted rather than stacked.
// Time comes only from the injected Clock: with core::ManualClock the whole schedule is driven by
// the test, without sleeps.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "exporter/core/clock.h"
#include "exporter/core/probe_result.h"
#include "exporter/probes/probe.h"
#include "exporter/scheduler/lane.h"
#include "exporter/scheduler/run_probe.h"
#include "exporter/scheduler/spread.h"

namespace prometheus {
class Registry;
}  // namespace prometheus

namespace smoke::clients {
class CurlLoop;
}  // namespace smoke::clients

namespace smoke::scheduler {

class SchedulerMetrics;
class SinkThread;

struct ScheduledProbe {
  std::string name;           // unique within one SetProbes call; the `probe` label
  core::Duration interval{};  // > 0
  core::Duration timeout{};   // deadline passed to the probe = start of the run + timeout
  std::shared_ptr<const probes::Probe> probe;
};

// ResultSink (run_probe.h) receives every result. It is called from worker threads and from the
// sink thread of the curl loop's runs: concurrently for different probes, never concurrently
// for the same probe name. It should return quickly (a slow sink holds a worker) and must not
// call Stop() or destroy the Scheduler (Stop joins the calling thread).

struct SchedulerOptions {
  int max_concurrency = 32;                       // workers of the fast lane; values < 1 mean 1
  int slow_max_concurrency = 256;                 // workers of the slow lane; values < 1 mean 1
  core::Duration slow_after = kDefaultSlowAfter;  // see SlowThreshold (lane.h)
  double jitter = 0.1;  // each run's start is delayed by uniform [0, jitter * interval)
  uint64_t seed = 0;    // RNG seed for jitter (0 = random); tests use a fixed seed or jitter 0
  // Runs probes that allow it (Probe::RunsOnCurlLoop: the http probe) as tasks of one
  // clients::CurlLoop, suspended while they wait on the network, instead of on lane workers: a
  // blackholed target then holds no thread for its timeout. Their lane still follows their last
  // run's duration and labels their metrics; lane sizes do not limit them (a probe never has two
  // runs at once, so the number of probes does).
  bool curl_loop = true;
};

// Thread-safety: all public methods are thread-safe. Start() and Stop() may be called once each;
// a stopped scheduler does not start again.
class Scheduler {
 public:
  // `clock` and `registry` must outlive the scheduler; `registry` may be null (no metrics).
  Scheduler(core::Clock* clock, SchedulerOptions options, ResultSink sink,
            prometheus::Registry* registry);
  ~Scheduler();  // Stop()s.
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Replaces the probe set (config reload). A probe whose name, interval and timeout are
  // unchanged keeps its next due time (and its in-flight state, so a reload cannot make it run
  // twice at once); its Probe object is swapped for the next run. New or rescheduled probes are
  // first due at now + FirstRunOffset(name, interval). Removed probes are dropped: a run already
  // executing finishes and its result is delivered, a run still queued is discarded. Entries
  // with a null probe or a non-positive interval are logged and ignored; of duplicate names the
  // first wins. May be called before Start(). Once started, returns only after the dispatcher
  // has made a pass over the new set, so a reload is in effect when this returns.
  void SetProbes(std::vector<ScheduledProbe> probes);

  // Starts the dispatcher thread and the workers. No-op if already started or stopped.
  void Start();
  // Wakes everything, discards queued runs and waits for executing ones (bounded by their
  // deadlines, as long as probes honour them). Idempotent.
  void Stop();

  // When the probe `name` is next due (jitter included), or nullopt if it is not scheduled.
  // For status pages and tests.
  std::optional<core::TimePoint> NextDue(const std::string& name) const;

  // Which lane the probe `name` runs in next, or nullopt if it is not scheduled.
  std::optional<Lane> LaneOf(const std::string& name) const;

  // Runs every probe once now, at most `max_concurrency` at a time, waits for all and returns
  // the results in input order (used by `run-once`). Independent of any Scheduler instance.
  // A null clock means the system clock.
  static std::vector<core::ProbeResult> RunAllOnce(const std::vector<ScheduledProbe>& probes,
                                                   int max_concurrency, core::Clock* clock);

  struct Stats {
    uint64_t runs_started = 0;        // handed to Probe::Run
    uint64_t runs_completed = 0;      // returned from Probe::Run
    uint64_t overlaps_skipped = 0;    // due while the previous run was in flight or queued
    uint64_t saturation_delayed = 0;  // due while every worker of its lane was busy, so queued
    uint64_t missed_runs = 0;         // slots skipped because the dispatcher woke up late
    uint64_t runs_dropped = 0;        // queued runs discarded by Stop() or probe removal
  };
  Stats stats() const;

 private:
  struct Entry;
  struct Job {
    std::shared_ptr<Entry> entry;
    core::TimePoint scheduled;  // lag is measured from here
  };
  // A run in progress, as its executor sees it outside mu_.
  struct Run {
    std::string name;  // copies: SetProbes may replace the entry's spec meanwhile
    std::shared_ptr<const probes::Probe> probe;
    probes::RunContext ctx;
    core::TimePoint start;
  };

  // One entry's next due time in the dispatcher's heap. Stale once the entry's due time changed
  // or the entry was removed; stale items are dropped when they reach the top.
  struct DueItem {
    core::TimePoint due;
    std::shared_ptr<Entry> entry;
  };

  struct LaneState {
    int max_workers = 1;
    int workers = 0;    // threads started
    int idle = 0;       // threads waiting for a job
    int executing = 0;  // runs inside Probe::Run on this lane's workers
    int looping = 0;    // runs of this lane's probes on the curl loop
    std::deque<Job> queue;
    std::condition_variable cv;  // its workers wait for jobs or stop
  };

  void DispatchLoop();
  // `counted_idle`: the starter already counted this worker as idle.
  void WorkerLoop(Lane lane, bool counted_idle);
  void DispatchDueLocked(core::TimePoint now);
  void EnqueueLocked(Job job, Lane lane);
  void PostToLoopLocked(Job job);
  void RunOnLoop(const Job& job);
  // Marks the job's run as started on `lane`'s worker or on the loop; nullopt if the probe was
  // removed meanwhile (the run is dropped).
  std::optional<Run> BeginRunLocked(const Job& job, Lane lane, bool on_loop);
  // Runs the probe; returns its result and the time it ended.
  std::pair<core::ProbeResult, core::TimePoint> Execute(const Run& run);
  void EndRunLocked(Entry& entry, const Run& run, core::TimePoint end);
  void StartWorkersLocked(Lane lane);
  bool CanMoveLocked() const;
  void MoveSlowRunsLocked(core::TimePoint now);
  void JoinExitedLocked();
  core::TimePoint NextWakeLocked(core::TimePoint now);
  static bool DueLater(const DueItem& a, const DueItem& b);
  void PushDueLocked(const std::shared_ptr<Entry>& entry);
  void RebuildDueLocked();
  // Moves slots that are more than one interval ahead (the clock went backwards) back.
  void ReanchorLocked(core::TimePoint now);
  void WakeDispatcherLocked(std::unique_lock<std::mutex>& lock);
  LaneState& lane(Lane l) { return lanes_[static_cast<int>(l)]; }

  core::Clock* const clock_;
  const ResultSink sink_;
  const core::Duration slow_after_;
  const bool use_curl_loop_;

  // Serializes Start() and Stop() so that the threads are joined exactly once.
  std::mutex lifecycle_mu_;

  mutable std::mutex mu_;
  std::condition_variable ack_cv_;  // wakers wait for the dispatcher to see their change
  std::map<std::string, std::shared_ptr<Entry>> entries_;
  // Every entry's next due time, earliest first (std::push_heap with a reversed order), so that a
  // wake-up costs O(due log n) instead of a scan of every probe: at 10k probes the scans took a
  // fifth of the exporter's CPU, under mu_.
  std::vector<DueItem> due_heap_;
  std::unordered_set<Entry*> fast_running_;  // runs in the fast lane (MoveSlowRunsLocked)
  core::TimePoint latest_now_{};  // the latest clock reading: to notice it going backwards
  LaneState lanes_[2];
  Jitter jitter_;
  std::unique_ptr<SchedulerMetrics> metrics_;
  Stats stats_;
  bool started_ = false;
  bool stopping_ = false;
  bool dispatcher_running_ = false;
  // Wake handshake: see WakeDispatcherLocked.
  uint64_t epoch_ = 0;
  uint64_t seen_epoch_ = 0;

  std::thread dispatcher_;
  std::vector<std::thread> workers_;     // both lanes; changed by the dispatcher only
  std::vector<std::thread::id> exited_;  // workers that left; joined by the dispatcher
  // With SchedulerOptions::curl_loop, from Start() to Stop().
  std::unique_ptr<clients::CurlLoop> loop_;
  std::unique_ptr<SinkThread> loop_sink_;
};

}  // namespace smoke::scheduler
