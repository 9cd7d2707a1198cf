// mrv methodology list | show ID | check [FILE...]: the bundled library, one
// methodology's parameters and equations, and validation with its examples.
#include "cli_common.hpp"

#include "mrv/calc.hpp"
#include "mrv/methodology.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <tuple>

namespace mrv::cli {

namespace {

struct MethodologyCommandOptions {
  CLI::App* list = nullptr;
  CLI::App* show = nullptr;
  CLI::App* check = nullptr;
  OutputOptions list_output;
  std::string show_id;
  std::string show_table; // --table: that table's rows only
  OutputOptions show_output;
  std::vector<std::string> check_files; // empty: every bundled methodology
};

int run_list(const OutputOptions& output) {
  std::vector<Methodology> methodologies;
  for (const std::string& file : bundled_methodology_files()) {
    Expected<Methodology> m = load_methodology_file(file);
    if (!m) return report(m.error());
    methodologies.push_back(std::move(*m));
  }
  // Ordered by id, then version, whatever order the directory lists.
  std::sort(methodologies.begin(), methodologies.end(), [](const auto& a, const auto& b) {
    return std::tie(a.id, a.version) < std::tie(b.id, b.version);
  });
  return write_output(output, render_methodology_list(methodologies, output_format(output)));
}

int run_show(const std::string& id, const std::string& table, const OutputOptions& output) {
  const Expected<Methodology> m = find_methodology(id);
  if (!m) return report(m.error());
  verbose(fmt::format("methodology {} from {}", m->full_id(), m->file));
  if (!table.empty()) {
    const Expected<std::string> rows = render_methodology_table(*m, table, output_format(output));
    if (!rows) return report(rows.error());
    return write_output(output, *rows);
  }
  return write_output(output, render_methodology(*m, output_format(output)));
}

// Whether `file` is a shared table file (its first key `mrv: table/1`); a
// file that cannot be read is not, and fails as a methodology.
bool is_table_file(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return is_table_file_text(head);
}

// A file that cannot be read (66) or is invalid (65) outranks a failed
// example (1): its examples never ran. The first such problem sets the status.
int run_check(std::vector<std::string> files) {
  if (files.empty()) files = bundled_methodology_files();
  std::string out;
  int passed = 0, failed = 0;
  int file_status = 0;
  for (const std::string& file : files) {
    if (is_table_file(file)) {
      const Expected<Table> table = load_table_file(file);
      if (!table) {
        const int status = report(table.error());
        file_status = file_status != 0 ? file_status : status;
        continue;
      }
      out += fmt::format("OK   table {} v{}: {} rows\n", table->use, table->use_version,
                         table->rows.size());
      continue;
    }
    const Expected<Methodology> m = load_methodology_file(file);
    if (!m) {
      const int status = report(m.error());
      file_status = file_status != 0 ? file_status : status;
      continue;
    }
    const Expected<std::vector<ExampleOutcome>> outcomes = run_examples(*m);
    if (!outcomes) {
      const int status = report(outcomes.error());
      file_status = file_status != 0 ? file_status : status;
      continue;
    }
    if (outcomes->empty()) note(fmt::format("{}: no examples", file));
    for (const ExampleOutcome& outcome : *outcomes) {
      const std::string name = m->full_id() + "/" + outcome.id;
      if (outcome.passed) {
        ++passed;
        out += "PASS " + name + "\n";
      } else {
        ++failed;
        out += "FAIL " + name + ": " + fmt::format("{}", fmt::join(outcome.failures, "; ")) + "\n";
      }
    }
  }
  out += fmt::format("{} passed, {} failed\n", passed, failed);
  if (const int status = write_stdout(out); status != 0) return status;
  if (file_status != 0) return file_status;
  return static_cast<int>(failed > 0 ? ExitCode::finding : ExitCode::ok);
}

int run_methodology(const MethodologyCommandOptions& options) {
  if (options.list->parsed()) return run_list(options.list_output);
  if (options.show->parsed())
    return run_show(options.show_id, options.show_table, options.show_output);
  return run_check(options.check_files);
}

} // namespace

Command setup_methodology(CLI::App& app) {
  auto options = std::make_shared<MethodologyCommandOptions>();
  CLI::App* command =
      app.add_subcommand("methodology", "The bundled methodologies: list, show, check");
  command->require_subcommand(1);
  command->footer("Example: mrv methodology show JCM_MN_AM003");

  options->list = command->add_subcommand("list", "List the bundled methodologies");
  add_output_options(*options->list, options->list_output);
  options->list->footer("Example: mrv methodology list --format md");

  options->show = command->add_subcommand(
      "show", "Show a methodology's identity, parameters, tables, equations and criteria");
  options->show
      ->add_option("ID", options->show_id,
                   "Methodology id (JCM_MN_AM003_ver02.0, or JCM_MN_AM003 for the latest "
                   "version) or a file")
      ->required();
  options->show->add_option("--table", options->show_table,
                            "Only this default-value table's rows (in any format: csv, tsv "
                            "and jsonl have a row each)");
  add_output_options(*options->show, options->show_output);
  options->show->footer("Examples:\n"
                        "  mrv methodology show JCM_MN_AM003 --format md\n"
                        "  mrv methodology show JCM_ID_AM017 --table EF_grid_ID --format csv");

  options->check =
      command->add_subcommand("check", "Validate methodology files and run their embedded examples "
                                       "(exit 1 if an example fails, 65 if a file is invalid)");
  options->check->add_option("FILE", options->check_files,
                             "Methodology files, or shared table files (mrv: table/1) to "
                             "validate on their own (default: every bundled methodology)");
  options->check->footer(
      "Examples:\n  mrv methodology check methodologies/JCM_MN_AM003_ver02.0.yaml\n"
      "  mrv methodology check methodologies/tables/*.yaml");

  return {command, [options] { return run_methodology(*options); }};
}

} // namespace mrv::cli
