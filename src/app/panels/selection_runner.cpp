#include "selection_runner.h"

#include <spdlog/spdlog.h>

#include "communitise/app/panels.h"

namespace communitise::app {

SelectionRunner::~SelectionRunner() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SelectionRunner::Submit(int64_t selection_id) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(selection_id);
    if (!thread_.joinable()) thread_ = std::thread([this] { Loop(); });
  }
  cv_.notify_all();
}

void SelectionRunner::WaitIdle() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return (queue_.empty() && !busy_) || stop_; });
}

void SelectionRunner::Loop() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (stop_) return;
    const int64_t id = queue_.front();
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    // RunSelection records failures in the job row; what reaches here is a database
    // failure while doing so, which only the log can report.
    if (Status s = panels_.RunSelection(id); !s.ok()) {
      spdlog::error("panel selection {} failed: {}", id, s.error().ToString());
    }
    lock.lock();
    busy_ = false;
    cv_.notify_all();
  }
}

}  // namespace communitise::app
