#include "communitise/deliberation/opinion_map_svg.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <string_view>

namespace communitise::deliberation {
namespace {

constexpr std::array<std::string_view, 8> kPalette = {
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000"};
constexpr std::string_view kUnclusteredColour = "#999999";

void AppendEscaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
}

// Fixed-point with one decimal: short output, and locale-independent.
void AppendNumber(std::string& out, double value) {
  char buffer[32];
  const auto r = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, 1);
  out.append(buffer, r.ptr);
}

void AppendInt(std::string& out, std::int64_t value) { out += std::to_string(value); }

}  // namespace

std::string RenderOpinionMapSvg(const OpinionMap& map, const SvgOptions& options) {
  const double width = std::max(64, options.width);
  const double height = std::max(64, options.height);
  const double margin = 24;

  // Fit the drawn points (and centroids) into the frame, keeping the aspect ratio.
  double min_x = 0, max_x = 0, min_y = 0, max_y = 0;
  bool any = false;
  auto extend = [&](const Point2& p) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) return;
    if (!any) {
      min_x = max_x = p.x;
      min_y = max_y = p.y;
      any = true;
      return;
    }
    min_x = std::min(min_x, p.x);
    max_x = std::max(max_x, p.x);
    min_y = std::min(min_y, p.y);
    max_y = std::max(max_y, p.y);
  };
  // The frame fits the clustered participants: an unclustered participant with one or
  // two votes is scaled far out by the sparse-voter correction and would otherwise
  // shrink every group to a dot. Unclustered points outside the frame are left out.
  for (const ParticipantPlacement& p : map.participants) {
    if (p.clustered) extend(p.position);
  }
  if (!any && options.show_unclustered) {
    for (const ParticipantPlacement& p : map.participants) {
      if (p.votes > 0) extend(p.position);
    }
  }
  const double span = std::max({max_x - min_x, max_y - min_y, 1e-9});
  const double scale = std::min(width - 2 * margin, height - 2 * margin) / span;
  const double cx = (min_x + max_x) / 2, cy = (min_y + max_y) / 2;
  auto sx = [&](double x) { return width / 2 + (x - cx) * scale; };
  auto sy = [&](double y) { return height / 2 - (y - cy) * scale; };  // y grows upwards

  auto inside = [&](const Point2& p) {
    return std::isfinite(p.x) && std::isfinite(p.y) && p.x >= min_x && p.x <= max_x &&
           p.y >= min_y && p.y <= max_y;
  };
  auto drawn = [&](const ParticipantPlacement& p) {
    return p.votes > 0 && (p.clustered || (options.show_unclustered && inside(p.position)));
  };
  std::int32_t drawable = 0, outside = 0;
  for (const ParticipantPlacement& p : map.participants) {
    if (drawn(p)) {
      ++drawable;
    } else if (p.votes > 0 && options.show_unclustered) {
      ++outside;
    }
  }
  const std::int32_t stride =
      options.max_points > 0 && drawable > options.max_points
          ? (drawable + options.max_points - 1) / options.max_points
          : 1;

  const std::string title_id = options.id_prefix + "-title";
  const std::string desc_id = options.id_prefix + "-desc";
  std::string out;
  out.reserve(static_cast<std::size_t>(std::min(drawable, options.max_points)) * 60 + 2048);
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 ";
  AppendInt(out, static_cast<std::int64_t>(width));
  out += ' ';
  AppendInt(out, static_cast<std::int64_t>(height));
  out += "\" width=\"";
  AppendInt(out, static_cast<std::int64_t>(width));
  out += "\" height=\"";
  AppendInt(out, static_cast<std::int64_t>(height));
  out += "\" aria-labelledby=\"";
  AppendEscaped(out, title_id);
  out += ' ';
  AppendEscaped(out, desc_id);
  out += "\">\n<title id=\"";
  AppendEscaped(out, title_id);
  out += "\">";
  AppendEscaped(out, options.title);
  out += "</title>\n<desc id=\"";
  AppendEscaped(out, desc_id);
  out += "\">";
  std::string desc;
  desc += std::to_string(map.num_participants) + " participants voted on " +
          std::to_string(map.num_statements) + " statements. ";
  if (map.groups.empty()) {
    desc += "Too few votes to form opinion groups yet.";
  } else {
    desc += std::to_string(map.num_clustered) + " participants with at least " +
            std::to_string(map.min_votes_applied) + " votes form " +
            std::to_string(map.groups.size()) +
            (map.groups.size() == 1 ? " opinion group: " : " opinion groups: ");
    for (std::size_t g = 0; g < map.groups.size(); ++g) {
      if (g > 0) desc += g + 1 == map.groups.size() ? " and " : ", ";
      desc += "group " + map.groups[g].label + " with " + std::to_string(map.groups[g].size) +
              (map.groups[g].size == 1 ? " person" : " people");
    }
    desc += ". People close together on the map voted alike.";
  }
  if (outside > 0) {
    desc += " " + std::to_string(outside) +
            (outside == 1 ? " participant with few votes lies" : " participants with few votes lie") +
            " outside the picture.";
  }
  if (stride > 1) {
    desc += " One point in " + std::to_string(stride) + " is drawn.";
  }
  AppendEscaped(out, desc);
  out += "</desc>\n";
  out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";

  // Points, one <g> per group so a stylesheet or script can address a group.
  const std::size_t ng = map.groups.size();
  std::vector<std::string> layers(ng + 1);
  std::int32_t seen = 0;
  for (const ParticipantPlacement& p : map.participants) {
    if (!drawn(p)) continue;
    if (seen++ % stride != 0) continue;
    std::string& layer = p.group >= 0 ? layers[p.group] : layers[ng];
    layer += "<circle cx=\"";
    AppendNumber(layer, sx(p.position.x));
    layer += "\" cy=\"";
    AppendNumber(layer, sy(p.position.y));
    layer += "\" r=\"2.5\"/>";
  }
  if (options.show_unclustered && !layers[ng].empty()) {
    out += "<g class=\"unclustered\" fill=\"";
    out += kUnclusteredColour;
    out += "\" fill-opacity=\"0.5\" aria-hidden=\"true\">";
    out += layers[ng];
    out += "</g>\n";
  }
  for (std::size_t g = 0; g < ng; ++g) {
    out += "<g class=\"group group-";
    AppendEscaped(out, map.groups[g].label);
    out += "\" fill=\"";
    out += kPalette[g % kPalette.size()];
    out += "\" fill-opacity=\"0.6\" aria-hidden=\"true\">";
    out += layers[g];
    out += "</g>\n";
  }
  // Labels last, so they sit on top of the points; a white halo keeps them readable.
  for (std::size_t g = 0; g < ng; ++g) {
    const Group& group = map.groups[g];
    const double x = std::clamp(sx(group.centroid.x), margin, width - margin);
    const double y = std::clamp(sy(group.centroid.y), margin, height - margin);
    out += "<text x=\"";
    AppendNumber(out, x);
    out += "\" y=\"";
    AppendNumber(out, y);
    out += "\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"16\" "
           "font-weight=\"bold\" fill=\"#0b0c0c\" stroke=\"#ffffff\" stroke-width=\"4\" "
           "paint-order=\"stroke\">Group ";
    AppendEscaped(out, group.label);
    out += " (";
    AppendInt(out, group.size);
    out += ")</text>\n";
  }
  out += "</svg>\n";
  return out;
}

}  // namespace communitise::deliberation
