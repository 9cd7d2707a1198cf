// mrv allocate: splits issued credits among parties under a financing scheme
// and checks the scheme's rule (exit 1 when it is not met).
#include "cli_common.hpp"

#include "mrv/allocate.hpp"
#include "mrv/render_allocate.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <memory>

namespace mrv::cli {

namespace {

struct AllocateCommandOptions {
  std::int64_t credits = 0;
  std::string from_calc;
  std::string scheme = "model-project";
  std::vector<std::string> parties;
  std::string remainder = std::string(default_remainder_party);
  double subsidy = 0, eligible_cost = 0;
  std::string fgas_reading = "net";
  OutputOptions output;
  // Which options were given.
  CLI::Option* credits_option = nullptr;
  CLI::Option* from_calc_option = nullptr;
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

Expected<AllocationRequest> build_request(const AllocateCommandOptions& options) {
  if (!*options.credits_option && !*options.from_calc_option)
    return usage("give the credits to allocate: --credits N, or --from-calc FILE with the "
                 "output of `mrv calc --format json`");
  AllocationRequest request;
  request.credits = options.credits;
  request.scheme = *find_scheme(options.scheme); // CLI11 checked the name
  for (const std::string& text : options.parties)
    request.parties.push_back(MRV_TRY(parse_party(text)));
  request.remainder = options.remainder;
  if (*options.subsidy_option) request.subsidy = options.subsidy;
  if (*options.eligible_cost_option) request.eligible_cost = options.eligible_cost;
  if (*options.fgas_reading_option && !request.scheme.subsidy_ratio)
    return usage(fmt::format("--fgas-reading applies to --scheme fgas, not {}", options.scheme));
  request.fgas_reading = *parse_fgas_reading(options.fgas_reading);
  return request;
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

Expected<AllocationResult> allocate_request(const AllocateCommandOptions& options,
                                            const AllocationRequest& request) {
  if (!*options.from_calc_option) return allocate_credits(request);
  verbose(fmt::format("calc result from {}",
                      options.from_calc == "-" ? "standard input" : options.from_calc));
  const CalcCredits source = MRV_TRY(read_calc_credits(options.from_calc));
  return allocate_calc(source, request);
}

int run_allocate(const AllocateCommandOptions& options) {
  const Expected<AllocationRequest> request = build_request(options);
  if (!request) return report(request.error());
  const Expected<AllocationResult> result = allocate_request(options, *request);
  if (!result) return report(result.error());

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

} // namespace

Command setup_allocate(CLI::App& app) {
  auto options = std::make_shared<AllocateCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "allocate", "Split issued credits among parties under a financing scheme and check its rule");
  options->credits_option =
      command->add_option("--credits", options->credits, "Whole tCO2 issued, to allocate");
  options->from_calc_option =
      command
          ->add_option("--from-calc", options->from_calc,
                       "Allocate each period of a `mrv calc --format json` result, and their "
                       "total (- is standard input)")
          ->excludes(options->credits_option);
  std::vector<std::string> scheme_ids;
  for (const SchemeRule& rule : scheme_rules())
    scheme_ids.push_back(rule.id);
  command
      ->add_option("--scheme", options->scheme,
                   "Financing scheme whose rule is checked: model-project (default), eco-lease, "
                   "fgas, jfjcm, none")
      ->check(CLI::IsMember(scheme_ids));
  command
      ->add_option("--party", options->parties,
                   "NAME=SHARE[:up|down|nearest], repeatable; SHARE is 0.5 or 50%; rounding "
                   "up for japan, down for others by default. Reserved names: japan, partner")
      ->allow_extra_args(false);
  command->add_option("--remainder", options->remainder,
                      "Party that receives what is left (default: participants)");
  options->subsidy_option =
      command->add_option("--subsidy", options->subsidy, "Subsidy, JPY (--scheme fgas)");
  options->eligible_cost_option = command->add_option("--eligible-cost", options->eligible_cost,
                                                      "Eligible cost, JPY (--scheme fgas)");
  options->subsidy_option->needs(options->eligible_cost_option);
  options->eligible_cost_option->needs(options->subsidy_option);
  options->fgas_reading_option =
      command
          ->add_option("--fgas-reading", options->fgas_reading,
                       "Which credits Japan's 1/2 applies to under --scheme fgas: net of the "
                       "partner's allocation (default) or total")
          ->check(CLI::IsMember({"net", "total"}));
  add_output_options(*command, options->output);
  command->footer(
      "Exit status 1 when the scheme's rule is not met (the output is still written).\n"
      "Examples:\n"
      "  mrv allocate --credits 2477\n"
      "  mrv allocate --credits 296 --party japan=75% --party partner=10%:nearest\n"
      "  mrv allocate --credits 2000 --scheme fgas --party partner=0.1 --subsidy 30000000 "
      "--eligible-cost 50000000\n"
      "  mrv calc examples/mn-pv/project.yaml --format json | mrv allocate --from-calc -");
  return {command, [options] { return run_allocate(*options); }};
}

} // namespace mrv::cli
