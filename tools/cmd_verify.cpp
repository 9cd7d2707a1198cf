// mrv verify MANIFEST: recomputes every project of a manifest in parallel and
// compares the claimed values; one JSON line per project and claimed period.
#include "cli_common.hpp"

#include "mrv/render_verify.hpp"
#include "mrv/verify.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

#include <unistd.h>

namespace mrv::cli {

namespace {

struct VerifyCommandOptions {
  std::string manifest;
  unsigned jobs = 0; // 0: every core
  std::string shard;
  std::string against;
  std::string output; // -o FILE
};

// How many mismatches and errors the summary lists before it only counts.
constexpr std::size_t listed_at_most = 20;

void say(std::string_view text) {
  std::fputs(fmt::format("mrv: {}\n", text).c_str(), stderr);
}

Diagnostic usage_error(std::string message) {
  Diagnostic d;
  d.code = ExitCode::usage;
  d.message = std::move(message);
  return d;
}

// "12/200 projects, 3.1 M rows/s, about 0:35 left", overwritten in place.
class ProgressLine {
public:
  explicit ProgressLine(bool enabled) : enabled_(enabled) {}
  void update(const VerifyProgress& p) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (p.done < p.total && now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    std::string text = fmt::format("verify: {}/{} projects", p.done, p.total);
    if (seconds > 0)
      text += fmt::format(", {:.1f} M rows/s", static_cast<double>(p.rows) / seconds / 1e6);
    if (p.done > 0 && p.done < p.total) {
      const auto left = static_cast<long>(seconds / static_cast<double>(p.done) *
                                          static_cast<double>(p.total - p.done));
      text += fmt::format(", about {}:{:02} left", left / 60, left % 60);
    }
    std::fputs(fmt::format("\rmrv: {}\x1b[K", text).c_str(), stderr);
    shown_ = true;
  }
  void clear() {
    if (shown_) std::fputs("\r\x1b[K", stderr);
    shown_ = false;
  }

private:
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
};

// What the run found, for the summary on standard error.
struct Findings {
  VerifyCounts counts;
  std::vector<std::string> problems; // mismatches and errors, the first few
  std::vector<std::string> moved;
  std::size_t unchanged = 0, fresh = 0;
  std::set<std::pair<std::string, std::string>> produced;
};

void print_summary(const VerifyCommandOptions& options, const Shard& shard,
                   std::size_t manifest_projects, const Findings& f,
                   const std::optional<PreviousRun>& previous) {
  for (const std::string& text : f.problems)
    say(text);
  const std::size_t problems = f.counts.mismatch + f.counts.error;
  if (problems > f.problems.size())
    say(fmt::format("... and {} more mismatches or errors (in the output)",
                    problems - f.problems.size()));
  if (previous) {
    for (const std::string& text : f.moved)
      say("moved: " + text);
    const std::vector<const PeriodVerdict*> gone = missing_from_run(*previous, f.produced, shard);
    for (const PeriodVerdict* line : gone)
      say(fmt::format("gone: {} {} (in {}, not in this run)", line->id, line->period,
                      options.against));
    say(fmt::format("against {}: {} moved, {} unchanged, {} new, {} gone", options.against,
                    f.moved.size(), f.unchanged, f.fresh, gone.size()));
  }
  if (shard.count > 1)
    say(fmt::format("verify: shard {}/{}: {}", shard.index, shard.count,
                    describe_counts(f.counts, manifest_projects)));
  else
    say("verify: " + describe_counts(f.counts));
}

int run_verify(const VerifyCommandOptions& options) {
  Shard shard;
  if (!options.shard.empty()) {
    const std::optional<Shard> parsed = parse_shard(options.shard);
    if (!parsed)
      return report(usage_error(fmt::format(
          "--shard '{}': expected K/N, shard K of N counted from 1 (1 <= K <= N)", options.shard)));
    shard = *parsed;
  }
  const Expected<Manifest> manifest = load_manifest_file(options.manifest);
  if (!manifest) return report(manifest.error());
  std::optional<PreviousRun> previous;
  if (!options.against.empty()) {
    Expected<PreviousRun> read = read_previous_run(options.against);
    if (!read) return report(read.error());
    previous = std::move(*read);
  }
  std::vector<const ManifestProject*> entries;
  for (const ManifestProject& entry : manifest->projects)
    if (in_shard(entry.id, shard)) entries.push_back(&entry);

  const bool to_stdout = options.output.empty() || options.output == "-";
  std::string collected; // with -o: written at the end, atomically
  Findings findings;
  int write_status = 0;
  ProgressLine progress(!global_options().quiet && ::isatty(STDERR_FILENO));

  VerifyRunOptions run;
  run.jobs = options.jobs != 0 ? options.jobs : usable_cores();
  run.progress = [&](const VerifyProgress& p) { progress.update(p); };
  run.deliver = [&](std::size_t, ProjectOutcome&& outcome) {
    ++findings.counts.projects;
    std::string text;
    for (const PeriodVerdict& v : outcome.verdicts) {
      findings.counts.add(v);
      if (v.status != VerifyStatus::match && findings.problems.size() < listed_at_most)
        findings.problems.push_back(describe_verdict(v));
      if (!previous) {
        text += render_verdict_line(v);
        continue;
      }
      findings.produced.insert({v.id, v.period});
      const Movement m = compare_with_previous(previous->find(v.id, v.period), v);
      if (!m.found)
        ++findings.fresh;
      else if (m.moved_anything(v.status))
        findings.moved.push_back(describe_movement(v, m));
      else
        ++findings.unchanged;
      text += render_verdict_line(v, &m);
    }
    if (!to_stdout) {
      collected += text;
      return true;
    }
    // write_stdout ends quietly on a closed pipe (EPIPE) and says so only
    // through errno: then nobody reads any more, so stop computing.
    errno = 0;
    write_status = write_stdout(text);
    return write_status == 0 && errno != EPIPE;
  };
  verify_entries(entries, run);
  progress.clear();
  if (write_status != 0) return write_status;
  if (!to_stdout) {
    OutputOptions output;
    output.path = options.output;
    if (const int status = write_output(output, collected); status != 0) return status;
  }
  if (!global_options().quiet)
    print_summary(options, shard, manifest->projects.size(), findings, previous);
  const bool all_match = findings.counts.mismatch == 0 && findings.counts.error == 0;
  return static_cast<int>(all_match ? ExitCode::ok : ExitCode::finding);
}

} // namespace

Command setup_verify(CLI::App& app) {
  auto options = std::make_shared<VerifyCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "verify", "Recompute the projects of a manifest and compare the values they claim");
  command->add_option("MANIFEST", options->manifest, "Manifest file (YAML, docs/verify.md)")
      ->required();
  command
      ->add_option("-j,--jobs", options->jobs, "Projects computed at once (default: one per core)")
      ->transform(decimal_integer())
      ->check(CLI::PositiveNumber)
      ->type_name("N");
  command
      ->add_option("--shard", options->shard,
                   "Take only shard K of N (K from 1 to N), chosen by a hash of the project "
                   "id; the N shards' outputs together are one whole run")
      ->type_name("K/N");
  command
      ->add_option("--against", options->against,
                   "Compare with the output of an earlier run: what moved, and why")
      ->type_name("PREVIOUS.jsonl");
  command
      ->add_option("-o,--output", options->output,
                   "Write to FILE (atomically: complete or not at all) instead of standard output")
      ->type_name("FILE");
  command->footer("Output: one JSON line per project and claimed period (docs/verify.md).\n"
                  "Exit status: 0 all match, 1 a mismatch or an error, 65 invalid manifest.\n"
                  "Examples:\n"
                  "  mrv verify examples/batch/manifest.yaml -j 8\n"
                  "  mrv verify manifest.yaml --shard 2/4 > part2.jsonl\n"
                  "  mrv verify manifest.yaml --against last-year.jsonl | jq 'select(.status != "
                  "\"match\")'");
  return {command, [options] { return run_verify(*options); }};
}

} // namespace mrv::cli
