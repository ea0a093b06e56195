// The `communitise` command's subcommands. Each component registers its own
// subcommands on the root CLI11 app; a subcommand's callback sets `exit_code`.
#ifndef COMMUNITISE_CLI_COMMANDS_H_
#define COMMUNITISE_CLI_COMMANDS_H_

namespace CLI {
class App;
}

namespace communitise::cli {

// pb stats|outcome|margins — src/cli/pb_commands.cpp
void AddPbCommands(CLI::App& app, int& exit_code);
// panel select|check|report — src/cli/panel_commands.cpp
void AddPanelCommands(CLI::App& app, int& exit_code);
#ifndef COMMUNITISE_ENGINES_ONLY
// serve, migrate, admin create-user, audit verify — src/cli/server_commands.cpp
void AddServerCommands(CLI::App& app, int& exit_code);
// serve — src/cli/serve_command.cpp
void AddServeCommand(CLI::App& app, int& exit_code);
// pb-round rehearsal-voters|ballots — src/cli/pb_round_commands.cpp
void AddPbRoundCommands(CLI::App& app, int& exit_code);
#endif

}  // namespace communitise::cli

#endif  // COMMUNITISE_CLI_COMMANDS_H_
