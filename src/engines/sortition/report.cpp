#include "communitise/sortition/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace communitise::sortition {
namespace {

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Num(double v, int digits = 1) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string Percent(double v) { return Num(100.0 * v, v < 0.1 ? 2 : 1) + "%"; }

// Sorted probabilities as a step line across the pool (x: share of pool, 0–100%).
std::string CurvePath(std::vector<double> p, double x0, double y0, double w, double h,
                      double ymax) {
  std::sort(p.begin(), p.end());
  std::string d;
  const double n = static_cast<double>(p.size());
  for (size_t i = 0; i < p.size(); ++i) {
    const double xa = x0 + w * i / n, xb = x0 + w * (i + 1) / n;
    const double y = y0 + h - h * std::min(p[i], ymax) / ymax;
    d += (i == 0 ? "M" : "L") + Num(xa, 2) + "," + Num(y, 2) + " L" + Num(xb, 2) + "," +
         Num(y, 2) + " ";
  }
  return d;
}

std::string ProbabilityChart(const ReportInput& in) {
  const Problem& pr = *in.problem;
  const double k_over_n = static_cast<double>(pr.panel_size) / pr.people.size();
  // Scale to the 98th percentile, so a handful of people with very high chances do
  // not flatten everyone else against the axis; the clipped top is stated.
  double top = 0, scale_to = k_over_n;
  for (const auto* curve : {&in.leximin, &in.legacy}) {
    if (curve->empty()) continue;
    std::vector<double> sorted = *curve;
    std::sort(sorted.begin(), sorted.end());
    top = std::max(top, sorted.back());
    scale_to = std::max(scale_to, sorted[static_cast<size_t>(0.98 * (sorted.size() - 1))]);
  }
  double ymax = std::min(top, std::max(scale_to * 1.25, 2 * k_over_n)) * 1.1;
  const double x0 = 70, y0 = 20, w = 620, h = 300;
  std::string s = "<svg xmlns='http://www.w3.org/2000/svg' width='760' height='390' "
                  "role='img' aria-label='Selection probability of every respondent'>";
  s += "<rect x='" + Num(x0) + "' y='" + Num(y0) + "' width='" + Num(w) + "' height='" +
       Num(h) + "' fill='#fafafa' stroke='#b1b4b6'/>";
  // Gridlines at a round step (1, 2 or 5 × 10^e percentage points), at most 6 of them.
  double step = 1e-4;
  for (double scale = 1e-4; scale < 10; scale *= 10) {
    bool done = false;
    for (double m : {1.0, 2.0, 5.0}) {
      if (ymax / (m * scale) <= 6) {
        step = m * scale;
        done = true;
        break;
      }
    }
    if (done) break;
  }
  ymax = step * std::ceil(ymax / step - 1e-9);
  const int ticks = static_cast<int>(std::lround(ymax / step));
  const bool clipped = top > ymax;
  for (int i = 0; i <= ticks; ++i) {
    const double v = step * i, y = y0 + h - h * v / ymax;
    s += "<line x1='" + Num(x0) + "' x2='" + Num(x0 + w) + "' y1='" + Num(y) + "' y2='" +
         Num(y) + "' stroke='#e5e5e5'/>";
    s += "<text x='" + Num(x0 - 6) + "' y='" + Num(y + 4) +
         "' font-size='12' text-anchor='end'>" +
         Num(100 * v, step >= 0.01 ? 0 : (step >= 0.001 ? 1 : 2)) + "%</text>";
  }
  for (int i = 0; i <= 4; ++i) {
    const double x = x0 + w * i / 4;
    s += "<text x='" + Num(x) + "' y='" + Num(y0 + h + 18) +
         "' font-size='12' text-anchor='middle'>" + std::to_string(25 * i) + "%</text>";
  }
  s += "<text x='" + Num(x0 + w / 2) + "' y='" + Num(y0 + h + 38) +
       "' font-size='13' text-anchor='middle'>respondents, sorted by probability "
       "(share of pool)</text>";
  s += "<text transform='translate(16," + Num(y0 + h / 2) +
       ") rotate(-90)' font-size='13' text-anchor='middle'>probability of selection</text>";
  const double ky = y0 + h - h * k_over_n / ymax;
  s += "<line x1='" + Num(x0) + "' x2='" + Num(x0 + w) + "' y1='" + Num(ky) + "' y2='" +
       Num(ky) + "' stroke='#505a5f' stroke-dasharray='5,4'/>";
  s += "<text x='" + Num(x0 + w - 4) + "' y='" + Num(ky + 16) +
       "' font-size='12' text-anchor='end' fill='#505a5f'>equal chance k/n = " +
       Percent(k_over_n) + "</text>";
  if (!in.legacy.empty()) {
    s += "<path d='" + CurvePath(in.legacy, x0, y0, w, h, ymax) +
         "' fill='none' stroke='#d4351c' stroke-width='2.5'/>";
  }
  s += "<path d='" + CurvePath(in.leximin, x0, y0, w, h, ymax) +
       "' fill='none' stroke='#1d70b8' stroke-width='2.5'/>";
  if (clipped) {
    s += "<text x='" + Num(x0 + w - 4) + "' y='" + Num(y0 + 16) +
         "' font-size='12' text-anchor='end' fill='#505a5f'>highest chance " + Percent(top) +
         ", above the top of the chart</text>";
  }
  // Legend.
  s += "<rect x='" + Num(x0 + 12) + "' y='" + Num(y0 + 10) +
       "' width='14' height='4' fill='#1d70b8'/><text x='" + Num(x0 + 32) + "' y='" +
       Num(y0 + 16) + "' font-size='13'>LEXIMIN (exact)</text>";
  if (!in.legacy.empty()) {
    s += "<rect x='" + Num(x0 + 12) + "' y='" + Num(y0 + 30) +
         "' width='14' height='4' fill='#d4351c'/><text x='" + Num(x0 + 32) + "' y='" +
         Num(y0 + 36) + "' font-size='13'>legacy (" + std::to_string(in.legacy_draws) +
         " draws)</text>";
  }
  return s + "</svg>";
}

std::string MakeupChart(const ReportInput& in) {
  const Problem& pr = *in.problem;
  const auto& cats = pr.quotas.categories;
  int rows = 0;
  for (const auto& c : cats) rows += static_cast<int>(c.values.size()) + 1;
  const double row_h = 22, x0 = 200, w = 420;
  const double height = 40 + rows * row_h + 20;
  std::string s = "<svg xmlns='http://www.w3.org/2000/svg' width='1000' height='" +
                  Num(height, 0) +
                  "' role='img' aria-label='Panel make-up against pool and quotas'>";
  const double n = static_cast<double>(pr.people.size());
  const double k = pr.panel_size;
  // Axis 0–100% of the panel or pool.
  for (int i = 0; i <= 4; ++i) {
    const double x = x0 + w * i / 4;
    s += "<line x1='" + Num(x) + "' x2='" + Num(x) + "' y1='30' y2='" + Num(height - 20) +
         "' stroke='#e5e5e5'/><text x='" + Num(x) +
         "' y='22' font-size='12' text-anchor='middle'>" + std::to_string(25 * i) +
         "%</text>";
  }
  double y = 36;
  for (size_t c = 0; c < cats.size(); ++c) {
    s += "<text x='8' y='" + Num(y + 14) + "' font-size='14' font-weight='bold'>" +
         Escape(cats[c].name) + "</text>";
    y += row_h;
    for (size_t v = 0; v < cats[c].values.size(); ++v) {
      const FeatureValue& fv = cats[c].values[v];
      int pool = 0, panel = 0;
      for (const Person& p : pr.people) pool += p.values[c] == static_cast<int>(v);
      for (int i : in.panel) panel += pr.people[i].values[c] == static_cast<int>(v);
      const double qa = x0 + w * fv.min / k, qb = x0 + w * std::min<double>(fv.max, k) / k;
      s += "<text x='20' y='" + Num(y + 14) + "' font-size='13'>" + Escape(fv.name) +
           "</text>";
      s += "<rect x='" + Num(qa) + "' y='" + Num(y + 1) + "' width='" +
           Num(std::max(2.0, qb - qa)) + "' height='18' fill='#cce2d8'/>";
      s += "<rect x='" + Num(x0) + "' y='" + Num(y + 3) + "' width='" + Num(w * pool / n) +
           "' height='5' fill='#b1b4b6'/>";
      s += "<rect x='" + Num(x0) + "' y='" + Num(y + 10) + "' width='" +
           Num(w * panel / k) + "' height='7' fill='#1d70b8'/>";
      s += "<text x='" + Num(x0 + w + 8) + "' y='" + Num(y + 14) + "' font-size='12'>" +
           std::to_string(panel) + " on panel (quota " + std::to_string(fv.min) + "–" +
           std::to_string(fv.max) + "), " + std::to_string(pool) + " in pool</text>";
      y += row_h;
    }
  }
  return s + "</svg>";
}

}  // namespace

std::string RenderReportHtml(const ReportInput& in) {
  const Problem& pr = *in.problem;
  double lmin = 1, lmax = 0, gmin = 1, gmax = 0;
  for (double v : in.leximin) lmin = std::min(lmin, v), lmax = std::max(lmax, v);
  for (double v : in.legacy) gmin = std::min(gmin, v), gmax = std::max(gmax, v);
  std::string h =
      "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>" +
      Escape(in.title) +
      "</title><style>body{font-family:Arial,Helvetica,sans-serif;color:#0b0c0c;"
      "max-width:1060px;margin:24px auto;padding:0 16px}h1{font-size:28px}"
      "h2{font-size:21px;margin-top:32px}table{border-collapse:collapse}"
      "td,th{border-bottom:1px solid #b1b4b6;padding:4px 12px;text-align:left}"
      ".key span{display:inline-block;width:14px;height:10px;margin:0 4px 0 12px}"
      "</style></head><body>";
  h += "<h1>" + Escape(in.title) + "</h1>";
  h += "<p>A panel of " + std::to_string(pr.panel_size) + " from a pool of " +
       std::to_string(pr.people.size()) + " respondents, meeting " +
       std::to_string(pr.quotas.categories.size()) + " quota categories" +
       (pr.one_per_household ? ", at most one person per household" : "") + ".</p>";
  h += "<table><tr><th></th><th>lowest chance</th><th>highest chance</th></tr>";
  h += "<tr><td>LEXIMIN</td><td>" + Percent(lmin) + "</td><td>" + Percent(lmax) +
       "</td></tr>";
  if (!in.legacy.empty()) {
    h += "<tr><td>legacy (estimated from " + std::to_string(in.legacy_draws) +
         " draws)</td><td>" + Percent(gmin) + "</td><td>" + Percent(gmax) + "</td></tr>";
  }
  h += "</table>";
  h += "<h2>Everyone's chance of selection</h2><p>Each respondent's probability of being "
       "chosen, lowest on the left. LEXIMIN raises the lowest chances as far as the quotas "
       "allow; a flatter line is fairer.</p>";
  h += ProbabilityChart(in);
  h += "<h2>The panel against the pool and the quotas</h2><p class='key'>"
       "<span style='background:#1d70b8'></span>panel share"
       "<span style='background:#b1b4b6'></span>pool share"
       "<span style='background:#cce2d8'></span>quota range</p>";
  h += MakeupChart(in);
  if (!in.notes.empty()) h += "<p>" + Escape(in.notes) + "</p>";
  return h + "</body></html>\n";
}

}  // namespace communitise::sortition
