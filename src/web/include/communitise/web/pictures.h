// Pictures of a programme, drawn as accessible inline SVG on the server:
//   - the quadrant: nature of service (discretionary / core) × network (geographic /
//     need or interest), with the programme's quadrant(s) filled;
//   - the arrow of participation: operational engagement → non-binding deliberation →
//     binding deliberation → formal governance, with the current depth marked and every
//     earlier depth (from the scope history) listed.
// Each picture has role="img", a <title> and a <desc> that says in words what the
// picture shows, and uses only presentation attributes (no inline style), so it passes
// the Content-Security-Policy and reads the same to a screen reader.
//
// Thread safety: pure functions.
#ifndef COMMUNITISE_WEB_PICTURES_H_
#define COMMUNITISE_WEB_PICTURES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "communitise/app/types.h"

namespace communitise::web {

// `id` makes element ids unique when several pictures share a page.
std::string QuadrantSvg(const std::vector<app::Quadrant>& quadrants, const std::string& id);

struct DepthPoint {
  int64_t at = 0;
  app::Method depth = app::Method::kOperationalEngagement;
};
// `history` is oldest first and ends with the current depth. REQUIRES: !history.empty().
std::string ArrowSvg(const std::vector<DepthPoint>& history, const std::string& id);

}  // namespace communitise::web

#endif  // COMMUNITISE_WEB_PICTURES_H_
