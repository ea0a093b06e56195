// The background worker that runs panel selections, so that a selection (seconds to
// minutes of LP solving) never blocks a request thread, and the heartbeat that tells
// other runners the job is still being computed.
//
// Job state lives in the panel_selections table, so pages read progress from the
// database and a job survives the process: the worker claims jobs through
// Panels::RunSelection — queued ones, and running ones whose heartbeat is older than
// kStaleSeconds (their runner crashed or was killed) — one at a time, oldest first. It
// looks when a job is submitted and every kPollSeconds, so a server resumes the jobs
// of a crashed server (or of its own previous life) without anyone asking. While a job
// runs, the heartbeat thread writes heartbeat_at every kHeartbeatSeconds; when that
// write finds the row no longer held by this runner (an organiser stopped it), it asks
// the computation to stop.
//
// Ownership: owned by Panels. The destructor asks the running job to stop at its next
// step (Panels::RunSelection puts it back in the queue) and joins both threads.
// Thread safety: all methods may be called from any thread.
#ifndef COMMUNITISE_APP_PANELS_SELECTION_RUNNER_H_
#define COMMUNITISE_APP_PANELS_SELECTION_RUNNER_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "communitise/core/clock.h"
#include "communitise/storage/database.h"

namespace communitise::app {

class Panels;

class SelectionRunner {
 public:
  // The heartbeat has its own thread, so a long solver call does not delay it: a job
  // without a heartbeat for 30 s belongs to a runner that is gone (or has lost its
  // database for that long). One small write every 2 s costs nothing next to the solves.
  static constexpr int64_t kHeartbeatSeconds = 2;
  static constexpr int64_t kStaleSeconds = 30;
  static constexpr int64_t kPollSeconds = 5;

  SelectionRunner(Panels& panels, storage::Database& db, Clock& clock);
  ~SelectionRunner();
  SelectionRunner(const SelectionRunner&) = delete;
  SelectionRunner& operator=(const SelectionRunner&) = delete;

  // Starts the threads if they are not running and wakes the worker to look for jobs.
  void Wake();
  // Blocks until the worker has looked for jobs since the last Wake() and found none
  // it could claim, and is not running one. Returns at once if it was never woken.
  void WaitIdle();

  // This runner's id, written into the jobs it claims: random, one per object.
  const std::string& id() const { return id_; }
  // Called by Panels::RunSelection around the computation of a claimed job.
  void BeginJob(int64_t selection_id);
  void EndJob();
  // Whether the running job should stop: the runner is shutting down, or the job was
  // taken from it. Read by the engine's stop callback.
  bool StopRequested() const { return stop_job_.load() || shutting_down_.load(); }
  bool ShuttingDown() const { return shutting_down_.load(); }

 private:
  void Loop();
  void Heartbeat();

  Panels& panels_;
  storage::Database& db_;
  Clock& clock_;
  const std::string id_;
  std::atomic<bool> stop_job_{false};
  std::atomic<bool> shutting_down_{false};

  std::mutex mu_;
  std::condition_variable cv_;
  uint64_t wakes_ = 0;       // GUARDED_BY(mu_): Wake() calls so far
  uint64_t idle_at_ = 0;     // GUARDED_BY(mu_): wakes_ when the worker last found nothing
  bool busy_ = false;        // GUARDED_BY(mu_)
  bool stop_ = false;        // GUARDED_BY(mu_)
  int64_t job_ = 0;          // GUARDED_BY(mu_): the job being computed, 0 when none
  std::thread worker_;       // GUARDED_BY(mu_) until joined
  std::thread heartbeat_;
};

}  // namespace communitise::app

#endif  // COMMUNITISE_APP_PANELS_SELECTION_RUNNER_H_
