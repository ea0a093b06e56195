#include "communitise/http/metrics.h"

#include <fmt/format.h>

namespace communitise::http {
namespace {
// Prometheus label values escape backslash, quote and newline.
std::string LabelEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}
}  // namespace

void AppendMetricHeader(std::string& out, std::string_view name, std::string_view type,
                        std::string_view help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void AppendHistogram(std::string& out, std::string_view name, std::string_view labels,
                     std::span<const double> bounds, std::span<const uint64_t> counts,
                     uint64_t count, double sum) {
  const std::string comma = labels.empty() ? "" : ",";
  uint64_t cumulative = 0;
  for (std::size_t i = 0; i < bounds.size() && i < counts.size(); ++i) {
    cumulative += counts[i];
    out += fmt::format("{}_bucket{{{}{}le=\"{}\"}} {}\n", name, labels, comma, bounds[i],
                       cumulative);
  }
  out += fmt::format("{}_bucket{{{}{}le=\"+Inf\"}} {}\n", name, labels, comma, count);
  const std::string braces = labels.empty() ? "" : fmt::format("{{{}}}", labels);
  out += fmt::format("{}_sum{} {:.6f}\n{}_count{} {}\n", name, braces, sum, name, braces, count);
}

Metrics::Metrics() : start_(std::chrono::steady_clock::now()) {}

void Metrics::RequestFinished(const std::string& route, std::string_view method,
                              unsigned status, double seconds) {
  in_flight_.fetch_sub(1, std::memory_order_relaxed);
  std::lock_guard lock(mu_);
  ++counts_[{route, std::string(method), status}];
  Histogram& h = latency_[route];
  std::size_t i = 0;
  while (i < kBuckets.size() && seconds > kBuckets[i]) ++i;
  if (i < kBuckets.size()) ++h.buckets[i];
  ++h.count;
  h.sum += seconds;
}

uint64_t Metrics::Count(const std::string& route, unsigned status) const {
  std::lock_guard lock(mu_);
  uint64_t n = 0;
  for (const auto& [key, count] : counts_) {
    if (std::get<0>(key) == route && std::get<2>(key) == status) n += count;
  }
  return n;
}

std::string Metrics::Render() const {
  std::string out;
  auto uptime = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_);
  out += "# HELP communitise_uptime_seconds Seconds since the server started.\n";
  out += "# TYPE communitise_uptime_seconds gauge\n";
  out += fmt::format("communitise_uptime_seconds {:.3f}\n", uptime.count());
  out += "# HELP communitise_http_requests_in_flight Requests being handled now.\n";
  out += "# TYPE communitise_http_requests_in_flight gauge\n";
  out += fmt::format("communitise_http_requests_in_flight {}\n", InFlight());
  std::lock_guard lock(mu_);
  out += "# HELP communitise_http_requests_total Requests served, by route and status.\n";
  out += "# TYPE communitise_http_requests_total counter\n";
  for (const auto& [key, count] : counts_) {
    out += fmt::format(
        "communitise_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
        LabelEscape(std::get<0>(key)), LabelEscape(std::get<1>(key)), std::get<2>(key),
        count);
  }
  AppendMetricHeader(out, "communitise_http_request_duration_seconds", "histogram",
                     "Time to handle a request.");
  for (const auto& [route, h] : latency_) {
    AppendHistogram(out, "communitise_http_request_duration_seconds",
                    fmt::format("route=\"{}\"", LabelEscape(route)), kBuckets, h.buckets,
                    h.count, h.sum);
  }
  return out;
}

}  // namespace communitise::http
