// mrv report PROJECT [DATA...] -o FILE: the monitoring report, as
// self-contained HTML, Markdown, xlsx with live formulas, or JSON.
#include "cli_common.hpp"

#include "mrv/methodology.hpp"
#include "mrv/project.hpp"
#include "mrv/report.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <memory>

#include <unistd.h>

namespace mrv::cli {

namespace {

struct ReportCommandOptions {
  std::string project;
  std::vector<std::string> data;
  std::string format; // empty: from the extension of -o
  std::string path;   // empty or "-": standard output
  bool strict = false;
  std::vector<std::string> accept_unconfirmed;
};

Diagnostic usage(std::string message) {
  Diagnostic d;
  d.code = ExitCode::usage;
  d.message = std::move(message);
  return d;
}

Expected<ReportFormat> choose_format(const ReportCommandOptions& options) {
  if (!options.format.empty()) return *parse_report_format(options.format); // CLI11 checked it
  const bool to_stdout = options.path.empty() || options.path == "-";
  if (to_stdout) return usage("give the form of the report: --format html|md|xlsx|json");
  if (const std::optional<ReportFormat> format = report_format_for_path(options.path))
    return *format;
  return usage(fmt::format("cannot tell the form of '{}' from its extension: name it .html, .md, "
                           ".xlsx or .json, or give --format",
                           options.path));
}

// SOURCE_DATE_EPOCH (reproducible-builds.org): the only clock a report reads.
Expected<std::optional<std::int64_t>> source_date_epoch() {
  const char* text = std::getenv("SOURCE_DATE_EPOCH");
  if (!text || !*text) return std::optional<std::int64_t>{};
  char* end = nullptr;
  errno = 0;
  const long long seconds = std::strtoll(text, &end, 10);
  if (errno != 0 || *end != '\0' || seconds < 0)
    return usage(
        fmt::format("SOURCE_DATE_EPOCH must be a whole number of seconds, not '{}'", text));
  return std::optional<std::int64_t>{seconds};
}

int run_report(const ReportCommandOptions& options) {
  const Expected<ReportFormat> format = choose_format(options);
  if (!format) return report(format.error());
  const bool to_stdout = options.path.empty() || options.path == "-";
  if (*format == ReportFormat::xlsx && to_stdout && ::isatty(STDOUT_FILENO))
    return report(usage("an xlsx workbook is binary: write it to a file with -o FILE.xlsx"));
  const Expected<std::optional<std::int64_t>> generated = source_date_epoch();
  if (!generated) return report(generated.error());

  const Expected<Project> project = load_project_file(options.project);
  if (!project) return report(project.error());
  const Expected<Methodology> methodology = find_methodology(project->methodology);
  if (!methodology) return report(methodology.error());
  verbose(fmt::format("methodology {} from {}", methodology->full_id(), methodology->file));

  ReportOptions report_options;
  report_options.data_files = options.data;
  report_options.generated = *generated;
  report_options.strict = options.strict;
  report_options.accept_unconfirmed = unconfirmed_names(options.accept_unconfirmed);
  const Expected<Report> built = build_report(*methodology, *project, report_options);
  if (!built) return report(built.error());
  for (const InputFile& input : built->result.inputs)
    verbose(fmt::format("{} {} (sha256 {})", input.role, input.path, input.sha256));
  for (const Diagnostic& warning : built->result.warnings)
    warn(warning);
  for (const std::string& text : built->result.notes)
    note(text);

  const Expected<std::string> rendered = render_report(*built, *format);
  if (!rendered) return report(rendered.error());
  OutputOptions output;
  output.path = options.path;
  return write_output(output, *rendered);
}

} // namespace

Command setup_report(CLI::App& app) {
  auto options = std::make_shared<ReportCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "report", "Write the monitoring report: HTML with charts, Markdown, xlsx with live "
                "formulas, or JSON");
  command->add_option("PROJECT", options->project, "Project file (YAML)")->required();
  command->add_option("DATA", options->data,
                      "Monitoring data (CSV) to read instead of the project's files; "
                      "- is standard input, ID=PATH names a data source");
  command
      ->add_option("--format", options->format,
                   "Form of the report: html, md, xlsx, json (default: from the extension of -o)")
      ->check(CLI::IsMember({"html", "md", "xlsx", "json"}));
  command->add_option("-o,--output", options->path,
                      "Write to FILE (atomically: complete or not at all) instead of standard "
                      "output");
  command->add_flag(
      "--strict", options->strict,
      "Refuse data that needs any treatment (gap, duplicate, correction...), and a result "
      "that depends on a value not confirmed against the official methodology text: exit 65");
  add_accept_unconfirmed(*command, options->accept_unconfirmed);
  command->footer("The report says when it was generated only if SOURCE_DATE_EPOCH is set.\n"
                  "Examples:\n"
                  "  mrv report examples/mn-pv/project.yaml -o report.html\n"
                  "  mrv report project.yaml logger.csv -o report.xlsx\n"
                  "  mrv report project.yaml --format md > report.md");
  return {command, [options] { return run_report(*options); }};
}

} // namespace mrv::cli
