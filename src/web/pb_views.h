// Internal to src/web: JSON views of participatory-budgeting values shared by the pages
// (pb_pages.cpp) and the API (pb_api.cpp), and the API's route registration.
#ifndef COMMUNITISE_WEB_PB_VIEWS_H_
#define COMMUNITISE_WEB_PB_VIEWS_H_

#include <nlohmann/json.hpp>

#include <functional>
#include <string>

#include "communitise/app/pb_rounds.h"
#include "context.h"

namespace communitise::web {

nlohmann::json PbRoundJson(const app::PbRound& r);
nlohmann::json PbProjectJson(const app::PbProject& p);
nlohmann::json PbResultsJson(const app::PbResults& r);
nlohmann::json PbAwardJson(const app::PbAward& a);
nlohmann::json PbBatchJson(const app::PaperBatch& b);

// "12,7,30" or "12:5,7:3" (one ballot; used by the paper-ballot form and the API).
Result<app::CastBallotForm> ParseBallotText(const std::string& text);

// The number named by path parameter `name`. Errors: kNotFound with `what`.
Result<int64_t> IdParam(Ctx& ctx, const std::string& name, const std::string& what);

// A public file of the round named by {round}: "pabulib", "projects" (CSV), "360json",
// "360csv".
http::Response PbDownload(Ctx& ctx, const std::string& what);

void AddPbApi(const std::function<void(http::Method, std::string, PageFn)>& on);

}  // namespace communitise::web

#endif  // COMMUNITISE_WEB_PB_VIEWS_H_
