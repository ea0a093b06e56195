// The background worker that runs panel selections, so that a selection (seconds to
// minutes of LP solving) never blocks a request thread. One worker thread, started on
// the first job; jobs run one at a time in submission order. Job state lives in the
// panel_selections table, so pages read progress from the database.
//
// Ownership: owned by Panels; the destructor finishes the running job and drops the
// queued ones (they stay "queued" in the database). Thread safety: all methods may be
// called from any thread.
#ifndef COMMUNITISE_APP_PANELS_SELECTION_RUNNER_H_
#define COMMUNITISE_APP_PANELS_SELECTION_RUNNER_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

namespace communitise::app {

class Panels;

class SelectionRunner {
 public:
  explicit SelectionRunner(Panels& panels) : panels_(panels) {}
  ~SelectionRunner();
  SelectionRunner(const SelectionRunner&) = delete;
  SelectionRunner& operator=(const SelectionRunner&) = delete;

  void Submit(int64_t selection_id);
  // Blocks until nothing is queued or running.
  void WaitIdle();

 private:
  void Loop();

  Panels& panels_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<int64_t> queue_;  // GUARDED_BY(mu_)
  bool busy_ = false;          // GUARDED_BY(mu_)
  bool stop_ = false;          // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace communitise::app

#endif  // COMMUNITISE_APP_PANELS_SELECTION_RUNNER_H_
