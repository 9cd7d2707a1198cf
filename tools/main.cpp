// mrv: one binary, one file per subcommand (cmd_*.cpp). main only registers
// the subcommands, parses the command line and runs the one selected.
#include "cli_common.hpp"

#include <vector>

int main(int argc, char** argv) {
  mrv::cli::prepare_process();
  CLI::App app{"mrv: emission reductions and credits of JCM projects, from monitoring data.",
               "mrv"};
  mrv::cli::setup_global_options(app);
  // One subcommand per line.
  // clang-format off
  const std::vector<mrv::cli::Command> commands = {
      mrv::cli::setup_calc(app),
      mrv::cli::setup_methodology(app),
      mrv::cli::setup_init(app),
      mrv::cli::setup_allocate(app),
      mrv::cli::setup_verify(app),
      mrv::cli::setup_report(app),
      mrv::cli::setup_screen(app),
  };
  // clang-format on
  if (const std::optional<int> status = mrv::cli::parse(app, argc, argv)) return *status;
  for (const mrv::cli::Command& command : commands)
    if (command.app->parsed()) return mrv::cli::run(command);
  return static_cast<int>(mrv::ExitCode::usage); // unreachable: a subcommand is required
}
