// mrv screen: checks a project's financing section against a subsidy
// scheme's thresholds (exit 1 when a check fails). Format: docs/screen.md.
#include "cli_common.hpp"

#include "mrv/methodology.hpp"
#include "mrv/project.hpp"
#include "mrv/render.hpp"
#include "mrv/screen.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <optional>

namespace mrv::cli {

namespace {

struct ScreenCommandOptions {
  std::string project;
  std::string scheme;
  OutputOptions output;
};

// A scheme the project's financing section names but no file has is an
// error of the project, at its `scheme:` (a broken file keeps its place).
Diagnostic at_financing_scheme(Diagnostic d, const Financing& financing) {
  if (d.code != ExitCode::usage) return d;
  Diagnostic located = error_at(financing.scheme_location, d.message);
  located.notes = std::move(d.notes);
  return located;
}

int run_screen(const ScreenCommandOptions& options) {
  const Expected<Project> project = load_project_file(options.project);
  if (!project) return report(project.error());
  const Expected<Financing> financing = load_financing(*project);
  if (!financing) return report(financing.error());
  std::string scheme_id = options.scheme.empty() ? financing->scheme : options.scheme;
  if (scheme_id.empty())
    return report(error_at(financing->location,
                           "no scheme: give financing.scheme in the project or --scheme"));
  const Expected<Scheme> scheme = find_scheme(scheme_id);
  if (!scheme)
    return report(options.scheme.empty() ? at_financing_scheme(scheme.error(), *financing)
                                         : scheme.error());
  verbose(fmt::format("scheme {} from {}", scheme->id, scheme->file));
  if (scheme->thresholds.empty())
    note(fmt::format("scheme {} has no screening thresholds: nothing to check", scheme->id));
  const Expected<Methodology> methodology = find_methodology(project->methodology);
  if (!methodology) return report(methodology.error());
  verbose(fmt::format("methodology {} from {}", methodology->full_id(), methodology->file));
  const Expected<std::optional<AnnualEstimate>> annual =
      estimate_annual(*methodology, *project, *financing);
  if (!annual) return report(annual.error());

  // The statutory useful life of the equipment type, when the project does
  // not give the life.
  std::optional<UsefulLifeTable> lives;
  if (!financing->legal_useful_life && !financing->equipment_type.empty()) {
    Expected<UsefulLifeTable> table = bundled_useful_lives();
    if (!table) return report(table.error());
    verbose(fmt::format("statutory useful lives from {}", table->file));
    lives = std::move(*table);
  }

  ScreenResult result;
  result.project = project->id;
  result.methodology = methodology->full_id();
  result.scheme = scheme->id;
  result.scheme_file = scheme->file;
  result.annual = *annual;
  result.checks =
      screen_checks(*scheme, *financing, *annual, methodology->family, lives ? &*lives : nullptr);
  if (!*annual) note("no annual_estimates in the financing section: no annual ER estimate");

  const int written =
      write_output(options.output, render_screen(result, output_format(options.output)));
  for (const ScreenCheck& check : result.checks)
    if (check.status == CheckStatus::fail)
      std::fputs(fmt::format("mrv: check failed: {}{}\n", check.id,
                             check.note.empty() ? "" : " (" + check.note + ")")
                     .c_str(),
                 stderr);
  if (written != 0) return written;
  return static_cast<int>(result.passed() ? ExitCode::ok : ExitCode::finding);
}

} // namespace

Command setup_screen(CLI::App& app) {
  auto options = std::make_shared<ScreenCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "screen", "Check a project's financing section against a subsidy scheme's thresholds");
  command->add_option("PROJECT", options->project, "Project file (YAML) with a financing section")
      ->required();
  command->add_option("--scheme", options->scheme,
                      "Scheme file's id, programme (its latest fiscal year) or path (default: the "
                      "project's financing.scheme); docs/schemes.md");
  add_output_options(*command, options->output);
  command->footer("Exit status 1 when a check fails (the output is still written); checks whose "
                  "inputs are absent are listed as not_applicable. Without "
                  "equipment.legal_useful_life, the statutory useful life of equipment.type is "
                  "taken from methodologies/schemes/useful-lives-JP.yaml.\n"
                  "Examples:\n"
                  "  mrv screen examples/mn-pv-screen/screen.yaml\n"
                  "  mrv screen examples/mn-pv-screen/screen.yaml --scheme "
                  "methodologies/schemes/model-project-FY2020.yaml --format json");
  return {command, [options] { return run_screen(*options); }};
}

} // namespace mrv::cli
