// mrv calc PROJECT [DATA...]: RE, PE, ER and credited tCO2 per period.
#include "cli_common.hpp"

#include "mrv/calc.hpp"
#include "mrv/methodology.hpp"
#include "mrv/project.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

namespace mrv::cli {

namespace {

struct CalcCommandOptions {
  std::string project;
  std::vector<std::string> data;
  std::vector<std::string> by; // "unit", "year", "month"
  bool strict = false;
  unsigned jobs = 0;                           // 0: the cores this process may use
  std::vector<std::string> accept_unconfirmed; // names --strict lets through
  OutputOptions output;
};

void say_what_was_read(const CalcResult& result) {
  for (const InputFile& input : result.inputs)
    verbose(fmt::format("{} {} (sha256 {}){}", input.role, input.path, input.sha256,
                        input.parts > 1 ? fmt::format(", read in {} parts", input.parts) : ""));
  verbose(fmt::format(
      "rows: {} read, {} used, {} outside periods, {} blank, {} missing values, {} duplicates",
      result.rows.read, result.rows.used, result.rows.outside_periods, result.rows.blank_lines,
      result.rows.missing_values, result.rows.duplicates));
}

int run_calc(const CalcCommandOptions& options) {
  const Expected<Project> project = load_project_file(options.project);
  if (!project) return report(project.error());
  const Expected<Methodology> methodology = find_methodology(project->methodology);
  if (!methodology) return report(methodology.error());
  verbose(fmt::format("methodology {} from {}", methodology->full_id(), methodology->file));

  CalcOptions calc_options;
  for (const std::string& by : options.by) {
    calc_options.by_unit = calc_options.by_unit || by == "unit";
    calc_options.by_year = calc_options.by_year || by == "year";
    calc_options.by_month = calc_options.by_month || by == "month";
  }
  calc_options.data_files = options.data;
  calc_options.strict = options.strict;
  calc_options.accept_unconfirmed = unconfirmed_names(options.accept_unconfirmed);
  const Format format = output_format(options.output);
  // Only the json form (and -v) shows the inputs with their SHA-256: the
  // others skip hashing the data (mrv report and mrv verify always hash).
  calc_options.hash_data = format == Format::json || global_options().verbose;
  calc_options.jobs = options.jobs != 0 ? options.jobs : usable_cores();
  // Smaller parts, for the tests that hold -j N to -j 1 on small files.
  if (const char* bytes = std::getenv("MRV_PART_BYTES"))
    calc_options.part_bytes = std::max<std::int64_t>(1, std::atoll(bytes));
  const Expected<CalcResult> result = calculate(*methodology, *project, calc_options);
  if (!result) return report(result.error());
  say_what_was_read(*result);
  for (const Diagnostic& warning : result->warnings)
    warn(warning);

  // Table and Markdown show the notes themselves; on a terminal they would
  // appear twice.
  const bool notes_in_output = format == Format::table || format == Format::md;
  const bool to_stdout = options.output.path.empty() || options.output.path == "-";
  if (!(notes_in_output && to_stdout))
    for (const std::string& text : result->notes)
      note(text);
  return write_output(options.output, render_calc(*result, format));
}

} // namespace

Command setup_calc(CLI::App& app) {
  auto options = std::make_shared<CalcCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "calc", "Compute RE, PE, ER and the credited tCO2 of each monitoring period");
  command->add_option("PROJECT", options->project, "Project file (YAML)")->required();
  command->add_option("DATA", options->data,
                      "Monitoring data (CSV) to read instead of the project's files; "
                      "- is standard input, ID=PATH names a data source");
  command
      ->add_option("--by", options->by,
                   "Also break each period down by unit, calendar year or calendar month "
                   "(repeatable)")
      ->check(CLI::IsMember({"unit", "year", "month"}))
      ->allow_extra_args(false)
      ->delimiter(',');
  command->add_flag(
      "--strict", options->strict,
      "Refuse data that needs any treatment (gap, duplicate, correction...), and a result "
      "that depends on a value not confirmed against the official methodology text: exit 65");
  add_accept_unconfirmed(*command, options->accept_unconfirmed);
  command->add_option("-j,--jobs", options->jobs,
                      "Threads that read one large data file in parts, with the same result "
                      "(default: the cores mrv may use)");
  add_output_options(*command, options->output);
  command->footer(
      "Examples:\n"
      "  mrv calc examples/mn-pv/project.yaml --by month\n"
      "  mrv calc examples/mn-hob/project.yaml --by year --format csv   # calendar years\n"
      "  mrv calc examples/messy-data/project.yaml --format table   # lists every treatment\n"
      "  mrv calc project.yaml logger.csv --by unit --format json -o result.json");
  return {command, [options] { return run_calc(*options); }};
}

} // namespace mrv::cli
