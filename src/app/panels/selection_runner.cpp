#include "selection_runner.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "../common/util.h"
#include "communitise/app/panels.h"

namespace communitise::app {

SelectionRunner::SelectionRunner(Panels& panels, storage::Database& db, Clock& clock)
    : panels_(panels), db_(db), clock_(clock), id_(internal::RandomHex(8)) {}

SelectionRunner::~SelectionRunner() {
  shutting_down_ = true;
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
  if (heartbeat_.joinable()) heartbeat_.join();
}

void SelectionRunner::Wake() {
  {
    std::lock_guard lock(mu_);
    if (stop_) return;
    ++wakes_;
    if (!worker_.joinable()) {
      worker_ = std::thread([this] { Loop(); });
      heartbeat_ = std::thread([this] { Heartbeat(); });
    }
  }
  cv_.notify_all();
}

void SelectionRunner::WaitIdle() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return stop_ || (idle_at_ == wakes_ && !busy_); });
}

void SelectionRunner::BeginJob(int64_t selection_id) {
  std::lock_guard lock(mu_);
  job_ = selection_id;
  stop_job_ = false;
}

void SelectionRunner::EndJob() {
  std::lock_guard lock(mu_);
  job_ = 0;
  stop_job_ = false;
}

void SelectionRunner::Loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    const uint64_t seen = wakes_;
    lock.unlock();
    auto ids = panels_.ClaimableSelections();
    if (!ids.ok()) spdlog::error("looking for selection jobs: {}", ids.error().ToString());
    bool ran = false;
    if (ids.ok()) {
      for (int64_t id : *ids) {
        {
          std::lock_guard guard(mu_);
          if (stop_) break;
          busy_ = true;
        }
        // RunSelection records failures in the job row; what reaches here is a database
        // failure while doing so, which only the log can report, and which waits for
        // the next poll rather than being retried at once.
        if (Status s = panels_.RunSelection(id); !s.ok()) {
          spdlog::error("panel selection {} failed: {}", id, s.error().ToString());
        } else {
          ran = true;
        }
        std::lock_guard guard(mu_);
        busy_ = false;
      }
    }
    lock.lock();
    cv_.notify_all();
    if (ran || stop_) continue;
    if (ids.ok()) idle_at_ = seen;
    cv_.notify_all();
    cv_.wait_for(lock, std::chrono::seconds(kPollSeconds),
                 [&] { return stop_ || wakes_ != seen; });
  }
}

void SelectionRunner::Heartbeat() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    cv_.wait_for(lock, std::chrono::seconds(kHeartbeatSeconds), [&] { return stop_; });
    if (stop_ || job_ == 0) continue;
    const int64_t job = job_;
    lock.unlock();
    Result<int64_t> held = 0;
    (void)db_.Transact([&](storage::Tx& tx) -> Status {
      held = tx.Exec("UPDATE panel_selections SET heartbeat_at = :t WHERE id = :id AND "
                     "runner = :r AND status = 'running'",
                     {clock_.NowSeconds(), job, id_});
      return held.status();
    });
    lock.lock();
    // The row is no longer this runner's: an organiser stopped the job.
    if (held.ok() && *held == 0 && job_ == job) stop_job_ = true;
  }
}

}  // namespace communitise::app
