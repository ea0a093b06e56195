// Demo data for resident panels and forums: called once by SeedDemo. Internal to src/app.
#ifndef COMMUNITISE_APP_PANELS_DEMO_PANEL_H_
#define COMMUNITISE_APP_PANELS_DEMO_PANEL_H_

#include "communitise/app/app.h"

namespace communitise::app {

// Gives the programme a resident panel (1,000 imported addresses, 100 invitations drawn
// with a published seed, 30 registrations, a LEXIMIN selection and a drawn panel of 10)
// and a forum of that panel with a session, an evidence pack and a decided motion.
// REQUIRES: the programme's areas hold the postcodes IG11 7DA/7DB and RM9 6EA/6EB.
Status SeedPanelDemo(App& app, const Actor& officer, int64_t programme_id);

}  // namespace communitise::app

#endif  // COMMUNITISE_APP_PANELS_DEMO_PANEL_H_
