#include "cli_common.hpp"

#include "mrv/cache.hpp"
#include "mrv/calc.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iterator>
#include <sstream>

#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mrv::cli {

namespace {

constexpr int exit_ok = static_cast<int>(ExitCode::ok);
constexpr int exit_usage = static_cast<int>(ExitCode::usage);

// Writes all of `text` to `fd`, retrying short writes; 0 or the errno.
int write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t written = ::write(fd, text.data(), text.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    text.remove_prefix(static_cast<std::size_t>(written));
  }
  return 0;
}

void write_stderr(std::string_view text) {
  (void)write_all(STDERR_FILENO, text); // nowhere left to report a failure
}

int cannot_write(const std::string& what, int error) {
  Diagnostic d;
  d.code = ExitCode::cannot_write;
  d.message = fmt::format("cannot write {}: {}", what, std::strerror(error));
  return report(d);
}

std::string parent_directory(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string base_name(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Returns 0 or the errno of the step that failed; the temporary file never
// outlives a failure, so a reader sees the old file or the whole new one.
// The temporary file being written, for the signal handler to remove.
char pending_temporary[4096];
volatile std::sig_atomic_t has_pending_temporary = 0;

extern "C" void remove_temporary_and_die(int signal) {
  if (has_pending_temporary) ::unlink(pending_temporary); // async-signal-safe
  ::signal(signal, SIG_DFL);
  ::raise(signal);
}

int write_file_atomically(const std::string& path, std::string_view text) {
  // A device or a pipe (-o /dev/null, -o /dev/full) is written in place:
  // renaming over it would replace the node.
  struct stat target;
  if (::stat(path.c_str(), &target) == 0 && !S_ISREG(target.st_mode)) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return errno;
    int error = write_all(fd, text);
    if (::close(fd) != 0 && error == 0) error = errno;
    return error;
  }
  std::string temporary = parent_directory(path) + "/." + base_name(path) + ".XXXXXX";
  if (temporary.size() >= sizeof pending_temporary) return ENAMETOOLONG;
  const int fd = ::mkstemp(temporary.data());
  if (fd < 0) return errno;
  // An interrupted run must not leave the temporary file behind.
  std::memcpy(pending_temporary, temporary.c_str(), temporary.size() + 1);
  has_pending_temporary = 1;
  // Only over the default action: a signal the user ignores (nohup ignores
  // SIGHUP) stays ignored, and every action is restored afterwards.
  constexpr int signals[] = {SIGINT, SIGTERM, SIGHUP};
  struct sigaction saved[std::size(signals)];
  for (std::size_t i = 0; i < std::size(signals); ++i) {
    ::sigaction(signals[i], nullptr, &saved[i]);
    if (saved[i].sa_handler != SIG_DFL) continue;
    struct sigaction cleanup = {};
    cleanup.sa_handler = remove_temporary_and_die;
    ::sigemptyset(&cleanup.sa_mask);
    ::sigaction(signals[i], &cleanup, nullptr);
  }
  // mkstemp creates 0600; give the file the mode a plain open would.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  int error = ::fchmod(fd, 0666 & ~mask) != 0 ? errno : 0;
  if (error == 0) error = write_all(fd, text);
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == 0 && ::rename(temporary.c_str(), path.c_str()) != 0) error = errno;
  if (error != 0) ::unlink(temporary.c_str());
  has_pending_temporary = 0;
  for (std::size_t i = 0; i < std::size(signals); ++i)
    ::sigaction(signals[i], &saved[i], nullptr);
  return error;
}

// The subcommand the user reached (`mrv methodology` for `mrv methodology x`).
const CLI::App* deepest_selected(const CLI::App* app) {
  while (!app->get_subcommands().empty())
    app = app->get_subcommands().front();
  return app;
}

// CLI11's own message, except that a word where a subcommand was expected is
// named as an unknown command, with a suggestion when one is close.
std::string usage_error_message(const CLI::App* app, const CLI::Error& e) {
  const CLI::App* selected = deepest_selected(app);
  const std::vector<std::string> remaining = app->remaining(true);
  std::vector<std::string> names;
  for (const CLI::App* sub : selected->get_subcommands([](const CLI::App*) { return true; }))
    names.push_back(sub->get_name());
  std::string text;
  if (!names.empty() && !remaining.empty() && !remaining.front().starts_with('-')) {
    text = fmt::format("mrv: error: unknown command '{}'\n", remaining.front());
    const std::string hint = closest_match(remaining.front(), names);
    if (!hint.empty()) text += fmt::format("mrv: note: did you mean '{}'?\n", hint);
  } else {
    text = fmt::format("mrv: error: {}\n", e.what());
    if (!remaining.empty() && remaining.front().starts_with("--")) {
      const std::string written = remaining.front().substr(0, remaining.front().find('='));
      std::vector<std::string> options;
      for (const CLI::App* a = selected; a; a = a->get_parent())
        for (const CLI::Option* option : a->get_options())
          for (const std::string& name : option->get_lnames())
            options.push_back("--" + name);
      const std::string hint = closest_match(written, options);
      if (!hint.empty()) text += fmt::format("mrv: note: did you mean '{}'?\n", hint);
    }
  }
  return text + "Run with --help for more information.\n";
}

} // namespace

CLI::Validator decimal_integer() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        const std::size_t sign = !text.empty() && (text[0] == '+' || text[0] == '-') ? 1 : 0;
        if (sign == text.size() ||
            !std::all_of(text.begin() + static_cast<std::ptrdiff_t>(sign), text.end(),
                         [](char c) { return c >= '0' && c <= '9'; }))
          return fmt::format("'{}' is not a whole number written in decimal digits", text);
        // Without leading zeros, the conversion cannot read octal (010 is ten).
        const std::size_t first = text.find_first_not_of('0', sign);
        text = text.substr(0, sign) + (first == std::string::npos ? "0" : text.substr(first));
        return "";
      },
      "");
}

CLI::Validator decimal_number() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        // digits [. digits] [e [sign] digits]: no hexadecimal, inf or nan.
        std::size_t k = !text.empty() && (text[0] == '+' || text[0] == '-') ? 1 : 0;
        const auto digits = [&] {
          const std::size_t start = k;
          while (k < text.size() && text[k] >= '0' && text[k] <= '9')
            ++k;
          return k - start;
        };
        std::size_t mantissa = digits();
        if (k < text.size() && text[k] == '.') {
          ++k;
          mantissa += digits();
        }
        bool valid = mantissa > 0;
        if (valid && k < text.size() && (text[k] == 'e' || text[k] == 'E')) {
          ++k;
          if (k < text.size() && (text[k] == '+' || text[k] == '-')) ++k;
          valid = digits() > 0;
        }
        if (valid && k == text.size()) return "";
        return fmt::format("'{}' is not a number written in decimal digits", text);
      },
      "");
}

GlobalOptions& global_options() {
  static GlobalOptions options;
  return options;
}

void prepare_process() {
  std::signal(SIGPIPE, SIG_IGN);
  use_parse_cache(default_parse_cache());
}

void setup_global_options(CLI::App& app) {
  app.set_version_flag("--version", [] { return "mrv " + mrv_version(); });
  app.add_flag("-q,--quiet", global_options().quiet, "Print no notes on standard error");
  app.add_flag("-v,--verbose", global_options().verbose,
               "Say on standard error what is read and from where");
  // So that -q and -v also work after the subcommand's own arguments.
  app.fallthrough();
  app.require_subcommand(1);
  app.failure_message(usage_error_message);
  app.footer("Example: mrv calc examples/mn-pv/project.yaml --by month\n"
             "Run 'mrv COMMAND --help' for a command's options.");
}

std::optional<int> parse(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
    return std::nullopt;
  } catch (const CLI::ParseError& e) {
    // Help and version go through our writer, so `mrv --help | head -1`
    // ends quietly and `mrv --help > /dev/full` fails like any output.
    std::ostringstream out, err;
    const int code = app.exit(e, out, err);
    if (code == exit_ok) return write_stdout(out.str());
    write_stderr(err.str());
    return exit_usage;
  }
}

int run(const Command& command) {
  try {
    return command.run();
  } catch (const std::exception& e) {
    write_stderr(fmt::format("mrv: error: internal error: {}\n", e.what()));
  } catch (...) {
    write_stderr("mrv: error: internal error: unknown exception\n");
  }
  return static_cast<int>(ExitCode::internal);
}

void add_output_options(CLI::App& command, OutputOptions& options) {
  command
      .add_option("--format", options.format,
                  "Output format: csv, tsv, json, jsonl, table, md (default: table on a "
                  "terminal, csv otherwise)")
      ->check(CLI::IsMember({"csv", "tsv", "json", "jsonl", "table", "md"}));
  command.add_option("-o,--output", options.path,
                     "Write to FILE (atomically: complete or not at all) instead of standard "
                     "output");
}

Format output_format(const OutputOptions& options) {
  if (!options.format.empty()) return parse_format(options.format).value_or(Format::csv);
  const bool to_stdout = options.path.empty() || options.path == "-";
  return to_stdout && ::isatty(STDOUT_FILENO) ? Format::table : Format::csv;
}

int write_output(const OutputOptions& options, std::string_view text) {
  if (options.path.empty() || options.path == "-") return write_stdout(text);
  const int error = write_file_atomically(options.path, text);
  return error == 0 ? exit_ok : cannot_write("'" + options.path + "'", error);
}

int write_stdout(std::string_view text) {
  const int error = write_all(STDOUT_FILENO, text);
  // A reader that stopped early (`| head`) is not a failure of ours.
  if (error == 0 || error == EPIPE) return exit_ok;
  return cannot_write("standard output", error);
}

int report(const Diagnostic& diagnostic) {
  write_stderr(format_diagnostic(diagnostic));
  return static_cast<int>(diagnostic.code);
}

void warn(const Diagnostic& diagnostic) {
  write_stderr(format_diagnostic(diagnostic));
}

void note(std::string_view text) {
  if (!global_options().quiet) write_stderr(fmt::format("mrv: note: {}\n", text));
}

void verbose(std::string_view text) {
  if (global_options().verbose) write_stderr(fmt::format("mrv: {}\n", text));
}

std::vector<std::string> unconfirmed_names(const std::vector<std::string>& given) {
  std::vector<std::string> names;
  for (const std::string& text : given) {
    std::string name;
    int depth = 0;
    for (char c : text) {
      depth += c == '[' ? 1 : c == ']' ? -1 : 0;
      if (c == ',' && depth == 0) {
        if (!name.empty()) names.push_back(name);
        name.clear();
      } else {
        name += c;
      }
    }
    if (!name.empty()) names.push_back(name);
  }
  return names;
}

void add_accept_unconfirmed(CLI::App& command, std::vector<std::string>& names) {
  command
      .add_option("--accept-unconfirmed", names,
                  "Unconfirmed values --strict accepts: a parameter, a table, a table row "
                  "(TABLE[KEY,...]) or 'rounding' (comma-separated, repeatable)")
      ->allow_extra_args(false); // one value each time: PROJECT and DATA stay positional
}

unsigned usable_cores() {
  cpu_set_t cpus;
  if (::sched_getaffinity(0, sizeof cpus, &cpus) != 0) return 1;
  return static_cast<unsigned>(std::max(1, CPU_COUNT(&cpus)));
}

} // namespace mrv::cli
