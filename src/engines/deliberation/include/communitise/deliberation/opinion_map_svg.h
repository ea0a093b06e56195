// Renders an OpinionMap as an accessible SVG picture: one coloured point cloud per
// group, each group's label and size at its centroid, unclustered participants in grey,
// and <title>/<desc> elements (referenced by aria-labelledby) that state in words what
// the picture shows, so a screen reader gets the same information. The page that shows
// the picture also shows the statement tables; the picture is not the only carrier.
//
// Colours are the Okabe-Ito palette (distinguishable with the common colour-vision
// deficiencies); groups are also told apart by their text labels, never colour alone.
// Large maps are thinned to at most `max_points` points by taking every n-th participant
// (deterministic), and the description says so.
//
// Thread safety: pure function. Output: a standalone <svg> element (UTF-8 string); all
// text is XML-escaped.
#ifndef COMMUNITISE_DELIBERATION_OPINION_MAP_SVG_H_
#define COMMUNITISE_DELIBERATION_OPINION_MAP_SVG_H_

#include <cstdint>
#include <string>

#include "communitise/deliberation/opinion_map.h"

namespace communitise::deliberation {

struct SvgOptions {
  std::string title = "Opinion map";
  std::string id_prefix = "opinion-map";  // for the title/desc ids; must be a valid XML name
  std::int32_t width = 640;
  std::int32_t height = 480;
  std::int32_t max_points = 5000;
  bool show_unclustered = true;
};

std::string RenderOpinionMapSvg(const OpinionMap& map, const SvgOptions& options = {});

}  // namespace communitise::deliberation

#endif  // COMMUNITISE_DELIBERATION_OPINION_MAP_SVG_H_
