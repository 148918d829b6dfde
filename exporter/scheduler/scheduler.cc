#include "exporter/scheduler/scheduler.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <string>
#include <utility>

#include "exporter/clients/curl_loop.h"
#include "exporter/core/logging.h"
#include "exporter/scheduler/scheduler_metrics.h"
#include "exporter/scheduler/sink_thread.h"

namespace smoke::scheduler {
namespace {

// The dispatcher never sleeps longer than this, even with nothing due: a wall clock stepped
// backwards (NTP) would otherwise stretch the sleep by the size of the step, and every probe with
// it. One wake-up per second costs nothing.
constexpr core::Duration kMaxSleep = std::chrono::seconds(1);
// Clock::SleepUntil cannot atomically release our mutex, so a Wake() issued between the
// dispatcher computing its deadline and entering SleepUntil is lost. Wakers therefore repeat
// Wake() at this period until the dispatcher acknowledges; normally the first one suffices.
constexpr auto kWakeRetry = std::chrono::milliseconds(1);
// A probe that returns this long after its deadline is ignoring it and holding a worker hostage.
constexpr core::Duration kOverrunGrace = std::chrono::seconds(1);

}  // namespace

struct Scheduler::Entry {
  ScheduledProbe spec;
  // The unjittered slot of the next run. Slots advance by exactly one interval per run, so
  // jitter and late completions never accumulate into drift.
  core::TimePoint slot;
  core::TimePoint due;          // slot + this slot's jitter
  bool queued = false;          // waiting in its lane's queue for a worker, or posted to the loop
  bool running = false;         // inside Probe::Run
  core::TimePoint run_start;    // of the run in progress
  Lane run_lane = Lane::kFast;  // whose worker and `executing` count the run in progress holds
  bool run_on_loop = false;     // the run in progress is a curl loop task (counted in `looping`)
  bool removed = false;         // dropped by SetProbes; its queued run is discarded
  Lane lane = Lane::kFast;      // decided by the duration of the last run
};

Scheduler::Scheduler(core::Clock* clock, SchedulerOptions options, ResultSink sink,
                     prometheus::Registry* registry)
    : clock_(clock != nullptr ? clock : &core::SystemClock::Default()),
      sink_(std::move(sink)),
      slow_after_(options.slow_after),
      use_curl_loop_(options.curl_loop),
      jitter_(options.jitter, options.seed),
      metrics_(std::make_unique<SchedulerMetrics>(registry)) {
  lane(Lane::kFast).max_workers = std::max(1, options.max_concurrency);
  lane(Lane::kSlow).max_workers = std::max(1, options.slow_max_concurrency);
}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::SetProbes(std::vector<ScheduledProbe> probes) {
  std::unique_lock lock(mu_);
  const core::TimePoint now = clock_->Now();
  std::map<std::string, std::shared_ptr<Entry>> next;
  for (ScheduledProbe& p : probes) {
    if (p.probe == nullptr || p.interval <= core::Duration::zero()) {
      core::LogError("scheduler: ignoring probe without an implementation or a positive interval",
                     {{"probe", p.name}});
      continue;
    }
    if (next.count(p.name) != 0) {
      core::LogError("scheduler: ignoring duplicate probe name", {{"probe", p.name}});
      continue;
    }
    std::shared_ptr<Entry> entry;
    if (auto it = entries_.find(p.name); it != entries_.end()) {
      // Reuse the entry even when rescheduling: its queued/running flags are what keeps a
      // reload from starting a second concurrent run of the same probe.
      entry = it->second;
      const bool same_schedule =
          entry->spec.interval == p.interval && entry->spec.timeout == p.timeout;
      entry->spec = std::move(p);
      if (!same_schedule) {
        entry->slot = now + FirstRunOffset(entry->spec.name, entry->spec.interval);
        entry->due = entry->slot;
      }
    } else {
      entry = std::make_shared<Entry>();
      entry->spec = std::move(p);
      // The first run is not jittered: the hash offset already spreads it.
      entry->slot = now + FirstRunOffset(entry->spec.name, entry->spec.interval);
      entry->due = entry->slot;
      metrics_->AddProbe(entry->spec.name);
    }
    next.emplace(entry->spec.name, std::move(entry));
  }
  for (auto& [name, entry] : entries_) {
    if (next.count(name) == 0) {
      entry->removed = true;
      metrics_->RemoveProbe(name);
    }
  }
  entries_ = std::move(next);
  latest_now_ = std::max(latest_now_, now);
  RebuildDueLocked();
  WakeDispatcherLocked(lock);
}

void Scheduler::Start() {
  std::lock_guard lifecycle(lifecycle_mu_);
  std::lock_guard lock(mu_);
  if (started_) return;
  started_ = true;
  if (use_curl_loop_) {
    try {
      loop_ = std::make_unique<clients::CurlLoop>();
      loop_sink_ = std::make_unique<SinkThread>(sink_);
    } catch (const std::exception& e) {
      loop_.reset();
      core::LogError("scheduler: no curl loop; http probes run on lane workers",
                     {{"error", e.what()}});
    }
  }
  dispatcher_running_ = true;
  dispatcher_ = std::thread([this] { DispatchLoop(); });
}

void Scheduler::Stop() {
  std::lock_guard lifecycle(lifecycle_mu_);
  {
    std::unique_lock lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    started_ = true;  // a stopped scheduler never starts
    for (LaneState& l : lanes_) l.cv.notify_all();
    WakeDispatcherLocked(lock);
  }
  // The dispatcher is the only thread that starts workers: once it is joined, workers_ is final.
  if (dispatcher_.joinable()) dispatcher_.join();
  for (std::thread& worker : workers_) worker.join();
  workers_.clear();
  // Runs posted but not started are dropped (RunOnLoop); started ones end by their deadlines,
  // and their results are delivered before the sink thread ends.
  if (loop_) loop_->Stop();
  if (loop_sink_) loop_sink_->Stop();

  std::lock_guard lock(mu_);
  for (LaneState& l : lanes_) {
    for (Job& job : l.queue) {
      job.entry->queued = false;
      ++stats_.runs_dropped;
    }
    l.queue.clear();
  }
}

std::optional<core::TimePoint> Scheduler::NextDue(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(name);
  if (it == entries_.end()) return std::nullopt;
  return it->second->due;
}

std::optional<Lane> Scheduler::LaneOf(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(name);
  if (it == entries_.end()) return std::nullopt;
  return it->second->lane;
}

Scheduler::Stats Scheduler::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

// Wakers bump epoch_ and repeat Clock::Wake() until the dispatcher has recomputed its deadline
// under mu_ after the bump (seen_epoch_) or has exited. See kWakeRetry for why one Wake() is not
// enough.
void Scheduler::WakeDispatcherLocked(std::unique_lock<std::mutex>& lock) {
  const uint64_t target = ++epoch_;
  while (dispatcher_running_ && seen_epoch_ < target) {
    lock.unlock();
    clock_->Wake();
    lock.lock();
    ack_cv_.wait_for(lock, kWakeRetry,
                     [&] { return !dispatcher_running_ || seen_epoch_ >= target; });
  }
}

void Scheduler::DispatchLoop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    const core::TimePoint now = clock_->Now();
    DispatchDueLocked(now);
    JoinExitedLocked();
    const core::TimePoint wake_at = NextWakeLocked(now);
    seen_epoch_ = epoch_;
    ack_cv_.notify_all();
    lock.unlock();
    clock_->SleepUntil(wake_at);
    lock.lock();
  }
  dispatcher_running_ = false;
  ack_cv_.notify_all();
}

// Exited workers no longer take mu_, so joining them under it cannot deadlock.
void Scheduler::JoinExitedLocked() {
  for (const std::thread::id& id : exited_) {
    auto it = std::find_if(workers_.begin(), workers_.end(),
                           [&](const std::thread& t) { return t.get_id() == id; });
    if (it == workers_.end()) continue;
    it->join();
    workers_.erase(it);
  }
  exited_.clear();
}

// std::push_heap keeps the greatest on top; in this order that is the earliest due time (then
// the name, for a deterministic order among equals).
bool Scheduler::DueLater(const DueItem& a, const DueItem& b) {
  return a.due != b.due ? a.due > b.due : a.entry->spec.name > b.entry->spec.name;
}

void Scheduler::PushDueLocked(const std::shared_ptr<Entry>& entry) {
  due_heap_.push_back({entry->due, entry});
  std::push_heap(due_heap_.begin(), due_heap_.end(), &Scheduler::DueLater);
}

void Scheduler::RebuildDueLocked() {
  due_heap_.clear();
  for (const auto& [name, entry] : entries_) PushDueLocked(entry);
}

core::TimePoint Scheduler::NextWakeLocked(core::TimePoint now) {
  core::TimePoint wake_at = now + kMaxSleep;
  while (!due_heap_.empty()) {
    const DueItem& top = due_heap_.front();
    if (!top.entry->removed && top.entry->due == top.due) {
      wake_at = std::min(wake_at, top.due);
      break;
    }
    std::pop_heap(due_heap_.begin(), due_heap_.end(), &Scheduler::DueLater);
    due_heap_.pop_back();
  }
  // Once no run can move (MoveSlowRunsLocked), waking for it would spin.
  if (CanMoveLocked()) {
    for (const Entry* entry : fast_running_) {
      wake_at =
          std::min(wake_at, entry->run_start + SlowThreshold(entry->spec.timeout, slow_after_));
    }
  }
  return wake_at;
}

// The slow lane may exceed its size by at most the fast lane's through moves; the extra workers
// leave when their run ends (WorkerLoop). Thread count stays below 2 * fast + slow.
bool Scheduler::CanMoveLocked() const {
  const LaneState& fast = lanes_[static_cast<int>(Lane::kFast)];
  const LaneState& slow = lanes_[static_cast<int>(Lane::kSlow)];
  return slow.workers < slow.max_workers + fast.max_workers;
}

// A run in the fast lane that has reached the slow threshold is a slow run (a target that started
// to blackhole, or a first run against one): its worker joins the slow lane, and the fast lane
// starts a replacement if runs are waiting. Without this, the first runs against hundreds of
// blackholed targets would hold every fast worker for a whole timeout.
void Scheduler::MoveSlowRunsLocked(core::TimePoint now) {
  LaneState& fast = lane(Lane::kFast);
  LaneState& slow = lane(Lane::kSlow);
  std::vector<Entry*> slow_runs;
  for (Entry* entry : fast_running_) {
    if (now - entry->run_start >= SlowThreshold(entry->spec.timeout, slow_after_)) {
      slow_runs.push_back(entry);
    }
  }
  // Longest running first, then by name: deterministic when not all of them can move.
  std::sort(slow_runs.begin(), slow_runs.end(), [](const Entry* a, const Entry* b) {
    return a->run_start != b->run_start ? a->run_start < b->run_start : a->spec.name < b->spec.name;
  });
  for (Entry* entry : slow_runs) {
    if (!CanMoveLocked()) break;
    fast_running_.erase(entry);
    entry->run_lane = Lane::kSlow;
    --fast.workers;
    --fast.executing;
    ++slow.workers;
    ++slow.executing;
    metrics_->SetInflight(Lane::kFast, fast.executing + fast.looping);
    metrics_->SetInflight(Lane::kSlow, slow.executing + slow.looping);
  }
  StartWorkersLocked(Lane::kFast);
}

void Scheduler::StartWorkersLocked(Lane which) {
  LaneState& l = lane(which);
  // Every idle worker takes one queued job; start more only if they do not cover the queue.
  for (int missing = static_cast<int>(l.queue.size()) - l.idle;
       missing > 0 && l.workers < l.max_workers; --missing) {
    ++l.workers;
    ++l.idle;  // counted as idle until it has taken its job, so the next call does not double up
    workers_.emplace_back([this, which] { WorkerLoop(which, /*counted_idle=*/true); });
  }
}

void Scheduler::ReanchorLocked(core::TimePoint now) {
  int reanchored = 0;
  for (const auto& [name, entry] : entries_) {
    const core::Duration interval = entry->spec.interval;
    if (entry->slot - now > interval) {
      // A slot is never more than one interval ahead unless the clock went backwards; without
      // this the probe would pause for as long as the step. Move the slot back by whole
      // intervals (keeping its phase) into (now, now + interval].
      const auto steps = (entry->slot - now - core::Duration(1)) / interval;
      entry->slot -= interval * steps;
      entry->due = entry->slot + jitter_.Next(interval);
      ++reanchored;
    }
  }
  if (reanchored > 0) {
    RebuildDueLocked();
    core::LogWarn(
        "scheduler: the clock went backwards; moved next runs back to within one interval",
        {{"probes", std::to_string(reanchored)}});
  }
}

void Scheduler::DispatchDueLocked(core::TimePoint now) {
  MoveSlowRunsLocked(now);
  // A slot is never more than one interval ahead unless the clock went backwards.
  if (now < latest_now_) ReanchorLocked(now);
  latest_now_ = now;
  // FIFO by due time: the run that has waited longest gets the next free worker.
  std::vector<std::shared_ptr<Entry>> due;
  while (!due_heap_.empty() && due_heap_.front().due <= now) {
    std::pop_heap(due_heap_.begin(), due_heap_.end(), &Scheduler::DueLater);
    DueItem item = std::move(due_heap_.back());
    due_heap_.pop_back();
    if (!item.entry->removed && item.entry->due == item.due) due.push_back(std::move(item.entry));
  }
  uint64_t missed_total = 0;
  for (const std::shared_ptr<Entry>& entry : due) {
    const std::string& name = entry->spec.name;
    const core::Duration interval = entry->spec.interval;
    core::TimePoint scheduled = entry->due;
    if (now - entry->slot >= interval) {
      // The dispatcher woke up more than one interval late (the clock jumped, the process was
      // suspended). Running every missed slot now would be a burst of identical runs against
      // the target; run the latest slot only and count the rest.
      const auto missed = static_cast<uint64_t>((now - entry->slot) / interval);
      entry->slot += interval * static_cast<core::Duration::rep>(missed);
      scheduled = entry->slot;
      stats_.missed_runs += missed;
      missed_total += missed;
      metrics_->RunsMissed(name, missed);
    }
    if (entry->queued || entry->running) {
      ++stats_.overlaps_skipped;
      metrics_->OverlapSkipped(name);
    } else if (loop_ && entry->spec.probe->RunsOnCurlLoop()) {
      PostToLoopLocked(Job{entry, scheduled});
    } else {
      EnqueueLocked(Job{entry, scheduled}, entry->lane);
    }
    entry->slot += interval;
    entry->due = entry->slot + jitter_.Next(interval);
    PushDueLocked(entry);
  }
  if (missed_total > 0) {
    // One line per wake-up, not per probe: after a suspend every probe misses slots at once.
    core::LogWarn("scheduler: woke up late and skipped missed runs instead of bursting",
                  {{"missed_runs", std::to_string(missed_total)}});
  }
}

void Scheduler::EnqueueLocked(Job job, Lane which) {
  LaneState& l = lane(which);
  if (l.executing + static_cast<int>(l.queue.size()) >= l.max_workers) {
    ++stats_.saturation_delayed;
    metrics_->SaturationDelayed(which);
  }
  job.entry->queued = true;
  l.queue.push_back(std::move(job));
  StartWorkersLocked(which);
  l.cv.notify_one();
}

void Scheduler::WorkerLoop(Lane which, bool counted_idle) {
  std::unique_lock lock(mu_);
  while (true) {
    LaneState& l = lane(which);
    if (l.workers > l.max_workers) {
      // A worker moved here with its run, beyond the lane's size: leave; the dispatcher joins it.
      --l.workers;
      if (counted_idle) --l.idle;  // started, then overtaken by moves before its first job
      exited_.push_back(std::this_thread::get_id());
      return;
    }
    if (!counted_idle) ++l.idle;
    counted_idle = false;
    l.cv.wait(lock, [&] { return stopping_ || !l.queue.empty(); });
    --l.idle;
    if (stopping_) return;  // Stop() discards what is still queued
    Job job = std::move(l.queue.front());
    l.queue.pop_front();
    std::optional<Run> run = BeginRunLocked(job, which, /*on_loop=*/false);
    if (!run) continue;
    lock.unlock();
    auto [result, end] = Execute(*run);
    lock.lock();
    EndRunLocked(*job.entry, *run, end);
    which = job.entry->run_lane;  // MoveSlowRunsLocked may have moved this worker
    lock.unlock();
    DeliverSafely(sink_, run->name, result);
    lock.lock();
  }
}

void Scheduler::PostToLoopLocked(Job job) {
  Entry& entry = *job.entry;
  entry.queued = true;
  if (!loop_->Post([this, job = std::move(job)] { RunOnLoop(job); })) {
    entry.queued = false;
    ++stats_.runs_dropped;
  }
}

// A task of the curl loop: the probe's waits suspend it, not the loop's thread.
void Scheduler::RunOnLoop(const Job& job) {
  std::unique_lock lock(mu_);
  if (stopping_) {  // Stop() discards what has not started
    job.entry->queued = false;
    ++stats_.runs_dropped;
    return;
  }
  std::optional<Run> run = BeginRunLocked(job, job.entry->lane, /*on_loop=*/true);
  if (!run) return;
  lock.unlock();
  auto [result, end] = Execute(*run);
  lock.lock();
  EndRunLocked(*job.entry, *run, end);
  lock.unlock();
  loop_sink_->Push(run->name, std::move(result));
}

std::optional<Scheduler::Run> Scheduler::BeginRunLocked(const Job& job, Lane which, bool on_loop) {
  Entry& entry = *job.entry;
  entry.queued = false;
  if (entry.removed) {
    ++stats_.runs_dropped;
    return std::nullopt;
  }
  Run run;
  run.name = entry.spec.name;
  run.probe = entry.spec.probe;
  run.start = clock_->Now();
  // The deadline counts from the actual start, not the due time, so a run that queued for a
  // worker still gets its full timeout.
  run.ctx.deadline = run.start + entry.spec.timeout;
  run.ctx.clock = clock_;
  entry.running = true;
  entry.run_start = run.start;
  entry.run_lane = which;
  entry.run_on_loop = on_loop;
  LaneState& l = lane(which);
  if (on_loop) {
    ++l.looping;
  } else {
    ++l.executing;
    if (which == Lane::kFast) fast_running_.insert(&entry);
  }
  ++stats_.runs_started;
  metrics_->RunStarted(run.name, which,
                       std::max(core::Duration::zero(), run.start - job.scheduled));
  metrics_->SetInflight(which, l.executing + l.looping);
  return run;
}

std::pair<core::ProbeResult, core::TimePoint> Scheduler::Execute(const Run& run) {
  core::ProbeResult result = RunProbeSafely(*run.probe, run.ctx, run.name);
  const core::TimePoint end = clock_->Now();
  if (end > run.ctx.deadline + kOverrunGrace) {
    core::LogWarn("scheduler: probe returned long after its deadline",
                  {{"probe", run.name},
                   {"overrun_seconds", std::to_string(core::ToSeconds(end - run.ctx.deadline))}});
  }
  return {std::move(result), end};
}

void Scheduler::EndRunLocked(Entry& entry, const Run& run, core::TimePoint end) {
  // Cleared before the sink runs, so whoever reacts to a result sees the probe as idle.
  entry.running = false;
  // MoveSlowRunsLocked may have moved a worker's run to the slow lane.
  LaneState& l = lane(entry.run_lane);
  if (entry.run_on_loop) {
    --l.looping;
  } else {
    fast_running_.erase(&entry);
    --l.executing;
  }
  ++stats_.runs_completed;
  metrics_->SetInflight(entry.run_lane, l.executing + l.looping);
  const core::Duration took = end - run.start;
  const Lane next =
      took >= SlowThreshold(entry.spec.timeout, slow_after_) ? Lane::kSlow : Lane::kFast;
  if (next != entry.lane) {
    entry.lane = next;
    core::LogDebug("scheduler: probe changes lane",
                   {{"probe", run.name},
                    {"lane", LaneName(next)},
                    {"duration_seconds", std::to_string(core::ToSeconds(took))}});
  }
}

std::vector<core::ProbeResult> Scheduler::RunAllOnce(const std::vector<ScheduledProbe>& probes,
                                                     int max_concurrency, core::Clock* clock) {
  if (clock == nullptr) clock = &core::SystemClock::Default();
  std::vector<core::ProbeResult> results(probes.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < probes.size(); i = next++) {
      const ScheduledProbe& p = probes[i];
      const core::TimePoint start = clock->Now();
      if (p.probe == nullptr) {
        results[i] = InternalFailure(start, start, "internal error: probe has no implementation");
        continue;
      }
      probes::RunContext ctx;
      ctx.deadline = start + p.timeout;
      ctx.clock = clock;
      results[i] = RunProbeSafely(*p.probe, ctx, p.name);
    }
  };
  const size_t threads = std::min(probes.size(), static_cast<size_t>(std::max(1, max_concurrency)));
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (size_t i = 0; i < threads; ++i) pool.emplace_back(work);
  for (std::thread& t : pool) t.join();
  return results;
}

}  // namespace smoke::scheduler
