// communitise: one binary for the server, its administration and the engines.
#include <CLI/CLI.hpp>

#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"Communitise: community commissioning — participatory budgeting, "
               "resident panels, deliberation and community boards"};
  app.require_subcommand(1);
  int exit_code = 0;
  communitise::cli::AddPbCommands(app, exit_code);
  communitise::cli::AddPanelCommands(app, exit_code);
#ifndef COMMUNITISE_ENGINES_ONLY
  communitise::cli::AddServerCommands(app, exit_code);
  communitise::cli::AddServeCommand(app, exit_code);
  communitise::cli::AddPbRoundCommands(app, exit_code);
#endif
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
