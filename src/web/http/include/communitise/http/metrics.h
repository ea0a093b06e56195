// Metrics: request counters and latency histograms in the Prometheus text format.
//
// Counts requests by (route pattern, method, status), keeps a latency histogram per
// route, the number of requests in flight and the process uptime. Route labels are the
// router's patterns (never raw paths), so the number of series stays bounded.
//
// Thread safety: all methods are safe for concurrent use.
#ifndef COMMUNITISE_HTTP_METRICS_H_
#define COMMUNITISE_HTTP_METRICS_H_

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <tuple>

namespace communitise::http {

// A metric's HELP and TYPE lines.
void AppendMetricHeader(std::string& out, std::string_view name, std::string_view type,
                        std::string_view help);
// One histogram's series: a cumulative bucket for each of `bounds` (le: values up to
// it), +Inf, the sum and the count. `counts[i]` is the number of values in bucket i
// alone; values above the last bound are in `count` only. `labels` (`route="/x"`, or
// empty) go on every series.
void AppendHistogram(std::string& out, std::string_view name, std::string_view labels,
                     std::span<const double> bounds, std::span<const uint64_t> counts,
                     uint64_t count, double sum);

class Metrics {
 public:
  Metrics();

  void RequestStarted() { in_flight_.fetch_add(1, std::memory_order_relaxed); }
  // REQUIRES: a matching RequestStarted.
  void RequestFinished(const std::string& route, std::string_view method, unsigned status,
                       double seconds);
  int64_t InFlight() const { return in_flight_.load(std::memory_order_relaxed); }
  // Number of requests recorded for `route` with `status` (all methods).
  uint64_t Count(const std::string& route, unsigned status) const;

  // The exposition text served at /metrics.
  std::string Render() const;

 private:
  static constexpr std::array<double, 11> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,  0.1,    0.25,  0.5,  1.0,
                                                      2.5};
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};  // non-cumulative
    uint64_t count = 0;
    double sum = 0;
  };
  const std::chrono::steady_clock::time_point start_;
  std::atomic<int64_t> in_flight_{0};
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, unsigned>, uint64_t> counts_;  // GUARDED_BY(mu_)
  std::map<std::string, Histogram> latency_;                                  // GUARDED_BY(mu_)
};

}  // namespace communitise::http

#endif  // COMMUNITISE_HTTP_METRICS_H_
