// mrv init METHODOLOGY: the commented project template of a methodology
// (render_project_template in libmrv), to standard output or a file.
#include "cli_common.hpp"

#include "mrv/methodology.hpp"
#include "mrv/render.hpp"

#include <fmt/format.h>

#include <memory>
#include <string>

namespace mrv::cli {

namespace {

struct InitCommandOptions {
  std::string methodology;
  std::string path; // -o FILE
};

int run_init(const InitCommandOptions& options) {
  const Expected<Methodology> m = find_methodology(options.methodology);
  if (!m) return report(m.error());
  verbose(fmt::format("methodology {} from {}", m->full_id(), m->file));
  OutputOptions output;
  output.path = options.path;
  return write_output(output, render_project_template(*m, options.methodology));
}

} // namespace

Command setup_init(CLI::App& app) {
  auto options = std::make_shared<InitCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "init", "Print a commented project template for a methodology, to fill in and run with "
              "mrv calc");
  command
      ->add_option("METHODOLOGY", options->methodology,
                   "Methodology id (JCM_ID_AM002_ver02.0, or JCM_ID_AM002 for the latest "
                   "version) or a file")
      ->required();
  command->add_option("-o,--output", options->path,
                      "Write to FILE (atomically: complete or not at all) instead of standard "
                      "output");
  command->footer("Example: mrv init JCM_ID_AM002 -o project.yaml");
  return {command, [options] { return run_init(*options); }};
}

} // namespace mrv::cli
