#include <CLI/CLI.hpp>

#include "commands.h"

namespace communitise::cli {

void AddServeCommand(CLI::App& app, int& exit_code) {
  (void)app;
  (void)exit_code;
}

}  // namespace communitise::cli
