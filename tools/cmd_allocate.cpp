// mrv allocate: splits issued credits among parties under a financing scheme
// and checks the scheme's rule (exit 1 when it is not met).
#include "cli_common.hpp"

#include "mrv/allocate.hpp"
#include "mrv/project.hpp"
#include "mrv/render_allocate.hpp"
#include "mrv/scheme.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdio>
#include <memory>
#include <optional>

#include <unistd.h>

namespace mrv::cli {

namespace {

struct AllocateCommandOptions {
  std::string project;
  std::int64_t credits = 0;
  std::string from_calc;
  std::string scheme = std::string(default_scheme);
  std::vector<std::string> parties;
  std::string remainder = std::string(default_remainder_party);
  double subsidy = 0, eligible_cost = 0;
  std::string fgas_reading = "net";
  OutputOptions output;
  // Which options were given.
  CLI::Option* project_option = nullptr;
  CLI::Option* credits_option = nullptr;
  CLI::Option* from_calc_option = nullptr;
  CLI::Option* scheme_option = nullptr;
  CLI::Option* remainder_option = nullptr;
  CLI::Option* subsidy_option = nullptr;
  CLI::Option* eligible_cost_option = nullptr;
  CLI::Option* fgas_reading_option = nullptr;
};

Diagnostic usage(std::string message) {
  Diagnostic d;
  d.code = ExitCode::usage;
  d.message = std::move(message);
  return d;
}

// The flags that set or override terms.
Expected<TermsOverrides> overrides_of(const AllocateCommandOptions& options) {
  TermsOverrides overrides;
  if (*options.scheme_option) {
    Expected<SchemeRule> rule = find_scheme_rule(options.scheme);
    if (!rule) return std::move(rule).error();
    overrides.scheme = std::move(*rule);
  }
  if (!options.parties.empty()) {
    overrides.parties.emplace();
    for (const std::string& text : options.parties) {
      Expected<PartyShare> party = parse_party(text);
      if (!party) return std::move(party).error();
      overrides.parties->push_back(std::move(*party));
    }
  }
  if (*options.remainder_option) overrides.remainder = options.remainder;
  if (*options.subsidy_option) overrides.subsidy = options.subsidy;
  if (*options.eligible_cost_option) overrides.eligible_cost = options.eligible_cost;
  if (*options.fgas_reading_option)
    overrides.fgas_reading = *parse_fgas_reading(options.fgas_reading);
  return overrides;
}

// The project's credit terms; an error when it states none.
Expected<Project> project_with_terms(const std::string& path) {
  Expected<Project> project = load_project_file(path);
  if (!project) return project;
  if (!project->credit_terms) {
    Diagnostic d = error_at(Location{path, 0, 0}, "the project states no credit_terms");
    d.notes.push_back("add a credit_terms section (docs/project-format.md), or give the terms as "
                      "flags without the project file");
    return d;
  }
  return project;
}

// The terms: the project's with the flags over them, or the flags alone
// (under the default scheme when --scheme is not given).
Expected<AllocationRequest> build_request(const AllocateCommandOptions& options,
                                          const Project* project, const TermsOverrides& overrides) {
  AllocationRequest terms;
  if (project) {
    terms = project->credit_terms->request;
  } else if (!overrides.scheme) {
    Expected<SchemeRule> rule = find_scheme_rule(options.scheme);
    if (!rule) return std::move(rule).error();
    terms.scheme = std::move(*rule);
  }
  AllocationRequest request = override_terms(terms, overrides);
  request.credits = options.credits;
  if (overrides.fgas_reading && !request.scheme.subsidy_ratio)
    return usage(fmt::format("--fgas-reading applies to --scheme {}, not {}",
                             fmt::join(subsidy_ratio_programmes(), " or "), request.scheme.id));
  verbose(fmt::format("scheme {} from {}", request.scheme.id,
                      request.scheme.file.empty() ? "no file" : request.scheme.file));
  return request;
}

// What --help lists after the options: the names --scheme takes, read from
// the scheme folders when the help is shown.
std::string scheme_help() {
  return fmt::format("--scheme takes {}.\nScheme files are read from each folder of "
                     "$MRV_SCHEMES, then {} (docs/schemes.md).",
                     scheme_choices(), scheme_directories().back());
}

// A violated rule is a finding: say which, with the minimum and the shortfall.
void report_failed_checks(const AllocationResult& result) {
  const auto say = [](const std::string& where, const SchemeCheck& check) {
    if (check.passed) return;
    std::fputs(
        fmt::format("mrv: check failed: {}{}\n", where, describe_failed_check(check)).c_str(),
        stderr);
  };
  for (const PeriodAllocation& period : result.periods)
    say(fmt::format("period {}: ", period.period), period.allocation.check);
  say(result.source ? "total: " : "", result.total.check);
}

// Where the calc result comes from: --from-calc, or with a project file and
// neither --credits nor --from-calc, standard input.
std::string calc_path(const AllocateCommandOptions& options) {
  if (*options.from_calc_option) return options.from_calc;
  if (*options.project_option && !*options.credits_option) return "-";
  return "";
}

Expected<AllocationResult> allocate_request(const AllocateCommandOptions& options,
                                            const Project* project,
                                            const AllocationRequest& request) {
  const std::string path = calc_path(options);
  if (path.empty()) return allocate_credits(request);
  verbose(fmt::format("calc result from {}", path == "-" ? "standard input" : path));
  const Expected<CalcCredits> read = read_calc_credits(path);
  if (!read) return read.error();
  const CalcCredits& source = *read;
  if (project && !source.project.empty() && source.project != project->id) {
    Diagnostic d = error_at(Location{path == "-" ? "<stdin>" : path, 0, 0},
                            fmt::format("the calc result is of project '{}', not '{}' ({})",
                                        source.project, project->id, project->file));
    d.notes.push_back("allocate a project's credits with its own credit terms");
    return d;
  }
  return allocate_calc(source, request);
}

// An allocation that fails on terms the project alone gave is invalid input
// at the project's credit_terms; with flags over them, a usage error that
// says where the rest came from.
Diagnostic locate_terms_error(Diagnostic d, const Project& project,
                              const TermsOverrides& overrides) {
  if (d.code != ExitCode::usage) return d;
  const Location& where = project.credit_terms->location;
  if (!overrides.any()) return project.credit_terms->error(d);
  d.notes.push_back(
      fmt::format("the other terms are the credit_terms of {}:{}", where.file, where.line));
  return d;
}

int run_allocate(const AllocateCommandOptions& options) {
  if (!*options.project_option && !*options.credits_option && !*options.from_calc_option)
    return report(usage("give the credits to allocate: --credits N, or --from-calc FILE with the "
                        "output of `mrv calc --format json`, or a PROJECT file with credit_terms "
                        "and its calc result on standard input"));
  if (calc_path(options) == "-" && !*options.from_calc_option && ::isatty(STDIN_FILENO))
    return report(usage(fmt::format("give the credits to allocate: --credits N, --from-calc "
                                    "FILE, or pipe `mrv calc {} --format json` in",
                                    options.project)));
  std::optional<Project> project;
  if (*options.project_option) {
    Expected<Project> loaded = project_with_terms(options.project);
    if (!loaded) return report(loaded.error());
    project = std::move(*loaded);
    verbose(fmt::format("credit terms from {}", project->file));
  }
  const Expected<TermsOverrides> overrides = overrides_of(options);
  if (!overrides) return report(overrides.error());
  const Project* terms = project ? &*project : nullptr;
  const Expected<AllocationRequest> request = build_request(options, terms, *overrides);
  if (!request) return report(request.error());
  Expected<AllocationResult> result = allocate_request(options, terms, *request);
  if (!result)
    return report(project ? locate_terms_error(result.error(), *project, *overrides)
                          : result.error());
  if (project)
    result->terms =
        AllocationResult::TermsSource{project->file, project->sha256, overrides->names()};

  const Format format = output_format(options.output);
  const bool notes_in_output = format == Format::table || format == Format::md;
  const bool to_stdout = options.output.path.empty() || options.output.path == "-";
  if (!(notes_in_output && to_stdout))
    for (const std::string& text : result->notes)
      note(text);
  const int written = write_output(options.output, render_allocation(*result, format));
  report_failed_checks(*result);
  if (written != 0) return written;
  return static_cast<int>(result->passed() ? ExitCode::ok : ExitCode::finding);
}

const char* const allocate_footer =
    "Exit status 1 when the scheme's rule is not met (the output is still written).\n"
    "Examples:\n"
    "  mrv allocate --credits 2477\n"
    "  mrv allocate --credits 296 --party japan=75% --party partner=10%:nearest\n"
    "  mrv allocate --credits 2000 --scheme fgas --party partner=0.1 --subsidy 30000000 "
    "--eligible-cost 50000000\n"
    "  mrv calc examples/mn-pv/project.yaml --format json | mrv allocate --from-calc -\n"
    "  mrv calc examples/mn-pv/project.yaml --format json | mrv allocate "
    "examples/mn-pv/project.yaml\n"
    "  mrv allocate examples/mn-pv/project.yaml --credits 2477 --party japan=60%";

} // namespace

Command setup_allocate(CLI::App& app) {
  auto options = std::make_shared<AllocateCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "allocate", "Split issued credits among parties under a financing scheme and check its rule");
  options->project_option = command->add_option(
      "PROJECT", options->project,
      "Project file whose credit_terms give the scheme and the parties (flags override them); "
      "without --credits or --from-calc, its `mrv calc --format json` result is read from "
      "standard input");
  options->credits_option =
      command->add_option("--credits", options->credits, "Whole tCO2 issued, to allocate")
          ->transform(decimal_integer());
  options->from_calc_option =
      command
          ->add_option("--from-calc", options->from_calc,
                       "Allocate each period of a `mrv calc --format json` result, and their "
                       "total (- is standard input)")
          ->excludes(options->credits_option);
  options->scheme_option = command->add_option(
      "--scheme", options->scheme,
      "Financing scheme whose rule is checked: a scheme file's id, a programme (its latest "
      "fiscal year), a scheme file's path, or none (default: model-project); listed below");
  command
      ->add_option("--party", options->parties,
                   "NAME=SHARE[:up|down|nearest], repeatable; SHARE is 0.5 or 50%; rounding "
                   "up for japan, down for others by default. Reserved names: japan, partner")
      ->allow_extra_args(false);
  options->remainder_option =
      command->add_option("--remainder", options->remainder,
                          "Party that receives what is left (default: participants)");
  options->subsidy_option =
      command
          ->add_option("--subsidy", options->subsidy,
                       "Subsidy, JPY, under a scheme whose rule uses the subsidy ratio")
          ->transform(decimal_number());
  options->eligible_cost_option = command
                                      ->add_option("--eligible-cost", options->eligible_cost,
                                                   "Eligible cost, JPY, under a scheme whose "
                                                   "rule uses the subsidy ratio")
                                      ->transform(decimal_number());
  options->subsidy_option->needs(options->eligible_cost_option);
  options->eligible_cost_option->needs(options->subsidy_option);
  options->fgas_reading_option =
      command
          ->add_option("--fgas-reading", options->fgas_reading,
                       "Which credits Japan's 1/2 applies to under a scheme whose rule uses the "
                       "subsidy ratio: net of the partner's allocation (default) or total")
          ->check(CLI::IsMember({"net", "total"}));
  add_output_options(*command, options->output);
  command->footer(scheme_help);
  command->footer(allocate_footer);
  return {command, [options] { return run_allocate(*options); }};
}

} // namespace mrv::cli
