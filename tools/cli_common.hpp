// What every subcommand shares: global flags, --format and -o, printing
// diagnostics, and writing output so that a full disk is an error and a
// closed pipe is not.
//
// Each subcommand lives in its own file (cmd_*.cpp) with an options struct, a
// setup function that registers it with CLI11 and a run function; main() only
// lists the setups.
#pragma once

#include "mrv/diagnostic.hpp"
#include "mrv/render.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <string_view>

namespace mrv::cli {

// -q and -v, given anywhere on the command line.
struct GlobalOptions {
  bool quiet = false;   // no notes on stderr
  bool verbose = false; // say what is read and from where
};
GlobalOptions& global_options();

// A registered subcommand and what to run when the command line selects it.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

Command setup_calc(CLI::App& app);
Command setup_methodology(CLI::App& app);
Command setup_init(CLI::App& app);
Command setup_allocate(CLI::App& app);
Command setup_verify(CLI::App& app);
Command setup_report(CLI::App& app);
Command setup_screen(CLI::App& app);

// Process-wide preparation: SIGPIPE ignored, so a closed pipe is a write
// error (EPIPE) that we can end on quietly instead of a signal.
void prepare_process();
// --version, -q, -v and the usage-error message on the top-level app.
void setup_global_options(CLI::App& app);
// Parses the command line. Returns the exit status when the process should
// stop now (help, version: 0; usage error: 2), nothing to go on.
std::optional<int> parse(CLI::App& app, int argc, char** argv);
// Runs the selected command; an escaped exception is an internal error (70).
int run(const Command& command);

// --format and -o FILE.
struct OutputOptions {
  std::string format; // empty: table on a terminal, csv otherwise
  std::string path;   // empty or "-": standard output
};
void add_output_options(CLI::App& command, OutputOptions& options);
Format output_format(const OutputOptions& options);
// Writes the whole output: to the file atomically (a temporary file in the
// same directory, fsync, rename), or to stdout. Returns 0, or 74 after
// printing why. A closed pipe on stdout ends quietly with 0.
int write_output(const OutputOptions& options, std::string_view text);
int write_stdout(std::string_view text);

// Whole numbers and amounts on the command line are decimal only: "010" is
// ten, "0x10" is refused (C's conversions would read octal and hexadecimal).
// --accept-unconfirmed: the names of the values given, split at the commas
// that are not inside a table row's brackets ("EF[jamali,case1],rounding").
std::vector<std::string> unconfirmed_names(const std::vector<std::string>& given);
// Adds --accept-unconfirmed to `command`.
void add_accept_unconfirmed(CLI::App& command, std::vector<std::string>& names);

// The processors this process may run on (its affinity: `taskset -c 0`
// gives 1), the default of -j.
unsigned usable_cores();

CLI::Validator decimal_integer();
CLI::Validator decimal_number();

// Prints `mrv: ... error: ...` to stderr and returns the diagnostic's exit code.
int report(const Diagnostic& diagnostic);
// `mrv: FILE:LINE: warning: ...` on stderr, even with -q: what the data
// cannot settle is never silent.
void warn(const Diagnostic& diagnostic);
// `mrv: note: TEXT` on stderr, unless -q.
void note(std::string_view text);
// `mrv: TEXT` on stderr, only with -v.
void verbose(std::string_view text);

} // namespace mrv::cli
