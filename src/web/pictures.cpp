#include "communitise/web/pictures.h"

#include <fmt/format.h>

#include <algorithm>

#include "communitise/core/clock.h"
#include "communitise/http/message.h"

namespace communitise::web {

using app::Method;
using app::Quadrant;
using http::HtmlEscape;

namespace {
constexpr const char* kBlue = "#1d70b8";
constexpr const char* kDarkBlue = "#003078";
constexpr const char* kGrey = "#f3f2f1";
constexpr const char* kMidGrey = "#505a5f";
constexpr const char* kText = "#0b0c0c";

bool Has(const std::vector<Quadrant>& q, Quadrant x) {
  return std::find(q.begin(), q.end(), x) != q.end();
}
}  // namespace

std::string QuadrantSvg(const std::vector<Quadrant>& quadrants, const std::string& id) {
  std::string names;
  for (auto q : quadrants) {
    if (!names.empty()) names += " and ";
    names += std::string(app::Label(q));
  }
  std::string svg = fmt::format(
      "<svg class=\"app-picture\" viewBox=\"0 0 420 300\" role=\"img\" "
      "aria-labelledby=\"{0}-title {0}-desc\" xmlns=\"http://www.w3.org/2000/svg\">"
      "<title id=\"{0}-title\">Which quadrant this programme is in</title>"
      "<desc id=\"{0}-desc\">A two by two grid: columns are the commissioning network "
      "(geographic, or service need and interest), rows are the nature of the service "
      "(discretionary and non-core, or core and statutory). This programme is in: {1}.</desc>",
      HtmlEscape(id), HtmlEscape(names));
  svg += fmt::format(
      "<text x=\"250\" y=\"18\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\" "
      "fill=\"{}\">Network</text>",
      kText);
  svg += fmt::format(
      "<text x=\"185\" y=\"42\" text-anchor=\"middle\" font-size=\"14\" fill=\"{0}\">"
      "Geographic</text><text x=\"335\" y=\"42\" text-anchor=\"middle\" font-size=\"14\" "
      "fill=\"{0}\">Need / interest</text>",
      kText);
  svg += fmt::format(
      "<text x=\"50\" y=\"130\" text-anchor=\"middle\" font-size=\"14\" fill=\"{0}\">"
      "Discretionary</text><text x=\"50\" y=\"146\" text-anchor=\"middle\" font-size=\"12\" "
      "fill=\"{1}\">non-core</text>"
      "<text x=\"50\" y=\"230\" text-anchor=\"middle\" font-size=\"14\" fill=\"{0}\">Core"
      "</text><text x=\"50\" y=\"246\" text-anchor=\"middle\" font-size=\"12\" fill=\"{1}\">"
      "statutory</text>",
      kText, kMidGrey);
  struct Cell {
    Quadrant q;
    int x, y;
  };
  const Cell cells[] = {{Quadrant::kGeographicDiscretionary, 110, 55},
                        {Quadrant::kNeedInterestDiscretionary, 260, 55},
                        {Quadrant::kGeographicCore, 110, 175},
                        {Quadrant::kNeedInterestCore, 260, 175}};
  for (const auto& c : cells) {
    bool on = Has(quadrants, c.q);
    svg += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"145\" height=\"115\" fill=\"{}\" stroke=\"{}\" "
        "stroke-width=\"2\"/>",
        c.x, c.y, on ? kBlue : kGrey, kMidGrey);
    if (on) {
      svg += fmt::format(
          "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"15\" "
          "font-weight=\"bold\" fill=\"#ffffff\">This programme</text>",
          c.x + 72, c.y + 62);
    }
  }
  svg += "</svg>";
  return svg;
}

std::string ArrowSvg(const std::vector<DepthPoint>& history, const std::string& id) {
  const Method current = history.back().depth;
  const int level = app::DepthLevel(current);
  std::string story;
  for (std::size_t i = 0; i < history.size(); ++i) {
    if (i > 0 && history[i].depth == history[i - 1].depth) continue;
    if (!story.empty()) story += "; ";
    story += fmt::format("{} from {}", app::Label(history[i].depth),
                         FormatLongDate(history[i].at));
  }
  std::string svg = fmt::format(
      "<svg class=\"app-picture\" viewBox=\"0 0 640 172\" role=\"img\" "
      "aria-labelledby=\"{0}-title {0}-desc\" xmlns=\"http://www.w3.org/2000/svg\">"
      "<title id=\"{0}-title\">Depth on the arrow of participation: {1}</title>"
      "<desc id=\"{0}-desc\">An arrow from shallowest to deepest participation in four "
      "steps: operational engagement, non-binding deliberation, binding deliberation, "
      "formal governance. This programme is at step {2} of 4, {1}. History: {3}.</desc>",
      HtmlEscape(id), HtmlEscape(std::string(app::Label(current))), level,
      HtmlEscape(story));
  // The arrow body and head.
  svg += fmt::format(
      "<polygon points=\"10,60 590,60 590,40 630,80 590,120 590,100 10,100\" fill=\"{}\" "
      "stroke=\"{}\" stroke-width=\"2\"/>",
      kGrey, kMidGrey);
  const char* labels[4][2] = {{"Operational", "engagement"},
                              {"Non-binding", "deliberation"},
                              {"Binding", "deliberation"},
                              {"Formal", "governance"}};
  for (int i = 0; i < 4; ++i) {
    int cx = 80 + i * 150;
    bool reached = i + 1 <= level;
    bool here = i + 1 == level;
    svg += fmt::format("<circle cx=\"{}\" cy=\"80\" r=\"{}\" fill=\"{}\" stroke=\"{}\" "
                       "stroke-width=\"2\"/>",
                       cx, here ? 16 : 10, reached ? kBlue : "#ffffff",
                       here ? kDarkBlue : kMidGrey);
    svg += fmt::format(
        "<text x=\"{0}\" y=\"140\" text-anchor=\"middle\" font-size=\"17\" fill=\"{1}\" "
        "font-weight=\"{2}\">{3}</text><text x=\"{0}\" y=\"161\" text-anchor=\"middle\" "
        "font-size=\"17\" fill=\"{1}\" font-weight=\"{2}\">{4}</text>",
        cx, kText, here ? "bold" : "normal", labels[i][0], labels[i][1]);
    if (here) {
      svg += fmt::format(
          "<text x=\"{}\" y=\"30\" text-anchor=\"middle\" font-size=\"14\" "
          "font-weight=\"bold\" fill=\"{}\">Now</text>",
          cx, kDarkBlue);
    }
  }
  // Earlier depths: small markers above the arrow.
  for (std::size_t i = 0; i + 1 < history.size(); ++i) {
    int cx = 80 + (app::DepthLevel(history[i].depth) - 1) * 150;
    if (history[i].depth == current) continue;
    svg += fmt::format(
        "<text x=\"{}\" y=\"30\" text-anchor=\"middle\" font-size=\"13\" fill=\"{}\">"
        "Before</text>",
        cx, kMidGrey);
  }
  svg += "</svg>";
  return svg;
}

}  // namespace communitise::web
