// Batch re-verification: a manifest lists projects with the values their
// monitoring reports claim; each project is recomputed with calculate() and
// every claimed value compared with the computed one. Format of the
// manifest, of the output lines and of --against: docs/verify.md.
//
// The parts are separate so that each can be tested alone: the manifest
// loader (text → Manifest), sharding (a pure function of the entry id), the
// comparison (Manifest entry × CalcResult → verdicts, no I/O), the runner
// (threads, isolation, order) and the comparison with a previous run.
#pragma once

#include "mrv/allocate.hpp"
#include "mrv/calc.hpp"
#include "mrv/diagnostic.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mrv {

// ---- The manifest

// How far a computed value may be from the claimed one. A tCO2 amount
// matches when |computed − claimed| ≤ max(absolute, relative × |claimed|);
// a whole-tonne amount (credited, an allocation) when |computed − claimed| ≤
// credited. The defaults accept only floating-point noise and exact credits.
struct Tolerance {
  double absolute = 0;       // tCO2
  double relative = 1e-9;    // fraction of the claimed value
  std::int64_t credited = 0; // whole tCO2
  bool operator==(const Tolerance&) const = default;
};

// The values a monitoring report claims for one period.
struct Claim {
  std::string period;
  std::optional<double> reference, project, reductions; // RE, PE, ER, tCO2
  std::optional<std::int64_t> credited;
  std::vector<std::pair<std::string, std::int64_t>> allocation; // party → credits
  Location location;
};

struct ManifestProject {
  std::string id;           // unique in the manifest; the key for sharding and in the output
  std::string project_file; // resolved against the manifest's folder
  // As the DATA arguments of `mrv calc`: paths (resolved), or ID=PATH.
  std::vector<std::string> data_files;
  Tolerance tolerance;
  // How credits are split, when the claims include an allocation (the
  // options of `mrv allocate`; `credits` is filled in per period).
  std::optional<AllocationRequest> allocation;
  std::vector<Claim> claims; // in manifest order: the order of the output lines
  Location location;
};

struct Manifest {
  std::string file;
  std::string sha256;
  std::vector<ManifestProject> projects;
};

// Parses a manifest; `file` names it in diagnostics and paths in it are
// relative to its folder. Errors are invalid input (65) at the offending
// line and column.
Expected<Manifest> load_manifest(std::string text, std::string file);
Expected<Manifest> load_manifest_file(const std::string& path);

// ---- Sharding

// --shard K/N: shard K (1-based, 1 ≤ K ≤ N) of N. An entry belongs to shard
// fnv1a_64(id) mod N + 1, so N processes cover a manifest exactly once
// whatever its order, and an entry stays in its shard when others are added.
struct Shard {
  std::uint64_t index = 1;
  std::uint64_t count = 1;
};
std::uint64_t fnv1a_64(std::string_view text);
std::optional<Shard> parse_shard(std::string_view text); // "K/N"
bool in_shard(std::string_view id, const Shard& shard);

// ---- Verdicts: one per project and claimed period

enum class VerifyStatus { match, mismatch, error };
const char* verify_status_name(VerifyStatus status);
std::optional<VerifyStatus> parse_verify_status(std::string_view name);

// A claimed value beside the computed one. Either may be missing: a value
// not claimed is still reported as computed; an error computes nothing.
struct ValueCheck {
  std::string name; // RE, PE, ER, credited; or a party
  std::optional<double> claimed;
  std::optional<double> computed;
  std::optional<bool> match; // when both are present
  bool operator==(const ValueCheck&) const = default;
};

// The financing scheme's rule applied to the computed allocation.
struct SchemeVerdict {
  std::string scheme;
  bool passed = true;
  std::int64_t minimum = 0; // japan's minimum
  std::int64_t actual = 0;  // what japan receives
  bool operator==(const SchemeVerdict&) const = default;
};

// calc.hpp's InputFile has no comparison of its own; verdicts need one to be
// compared whole (tests, --against).
bool operator==(const InputFile& a, const InputFile& b);

struct PeriodVerdict {
  std::string id; // manifest entry id
  std::string period;
  VerifyStatus status = VerifyStatus::error;
  std::string project; // the project file's id ("" when it could not be read)
  std::string methodology, methodology_version;
  std::vector<std::pair<std::string, std::string>> tables; // default table id → its version
  std::string mrv_version;
  std::vector<InputFile> inputs; // methodology, project, data: as far as they were read
  Tolerance tolerance;
  std::vector<ValueCheck> values;     // RE, PE, ER, credited, always in this order
  std::vector<ValueCheck> allocation; // computed parties, then claimed parties not computed
  std::optional<SchemeVerdict> scheme_check;
  // Whether the period's credits meet the rules of each use the project's
  // `credits:` section intends, one statement per use (assess_uses); they
  // inform, they do not change the status.
  std::vector<std::string> uses;
  // The names of the values the computed period depends on that are not
  // confirmed against the official methodology text (Unconfirmed::name).
  std::vector<std::string> unconfirmed;
  std::string error; // with status error: what went wrong, with its place
  bool operator==(const PeriodVerdict&) const = default;
};

// Compares the claims of `entry` with a calculation of it (no I/O). One
// verdict per claim, in claim order; a claimed period the project does not
// have, or an allocation that cannot be made, is an error verdict.
std::vector<PeriodVerdict> compare_claims(const ManifestProject& entry, const CalcResult& result,
                                          const Methodology& methodology);

// Whether `computed` is within `tolerance` of `claimed`, as a tCO2 amount
// or, with `whole`, as whole tonnes.
bool within_tolerance(double claimed, double computed, const Tolerance& tolerance, bool whole);

// One verdict per claim, every one an error with `diagnostic`'s message;
// `partial` supplies what was learnt before the failure (inputs, ids).
std::vector<PeriodVerdict> error_verdicts(const ManifestProject& entry,
                                          const PeriodVerdict& partial,
                                          const Diagnostic& diagnostic);
// "FILE:LINE:COL: MESSAGE", or the message alone when there is no place.
std::string diagnostic_text(const Diagnostic& diagnostic);

// ---- Running a manifest

struct ProjectOutcome {
  std::vector<PeriodVerdict> verdicts;
  std::int64_t rows = 0; // monitoring rows read
};

// Loads, calculates and compares one entry; never fails as a whole: every
// problem becomes error verdicts of this entry only.
class MethodologyCache;
ProjectOutcome verify_project(const ManifestProject& entry, MethodologyCache& methodologies);

// Methodologies loaded once per run and shared read-only by the workers.
class MethodologyCache {
public:
  MethodologyCache();
  ~MethodologyCache();
  MethodologyCache(const MethodologyCache&) = delete;
  MethodologyCache& operator=(const MethodologyCache&) = delete;
  // find_methodology(id_or_path), loaded on first use; thread-safe.
  const Expected<Methodology>& get(const std::string& id_or_path);

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct VerifyProgress {
  std::size_t done = 0, total = 0;
  std::int64_t rows = 0; // monitoring rows read by the projects done
};

struct VerifyRunOptions {
  unsigned jobs = 1; // worker threads
  // Called on the calling thread with each entry's outcome, in the order of
  // `entries`, as soon as it and every entry before it are done. Returning
  // false stops the run: no new entry is started.
  std::function<bool(std::size_t index, ProjectOutcome&& outcome)> deliver;
  // Called on the calling thread after each entry finishes, and a few times
  // a second while entries run.
  std::function<void(const VerifyProgress&)> progress;
};

// Verifies `entries` with options.jobs worker threads. Output order does not
// depend on the number of threads or on which entry finishes first.
void verify_entries(const std::vector<const ManifestProject*>& entries,
                    const VerifyRunOptions& options);

// ---- Against a previous run

// The lines of an earlier `mrv verify` output, by (id, period).
struct PreviousRun {
  std::string file;
  std::vector<PeriodVerdict> lines;
  std::map<std::pair<std::string, std::string>, std::size_t> index; // (id, period) → line
  const PeriodVerdict* find(const std::string& id, const std::string& period) const;
};
// Malformed lines, lines of another format and a (id, period) given twice
// are invalid input (65) with the line and column.
Expected<PreviousRun> parse_previous_run(std::string_view text, const std::string& file);
Expected<PreviousRun> read_previous_run(const std::string& path);
// One output line read back; `file` and `line` place errors.
Expected<PeriodVerdict> parse_verdict_line(std::string_view text, const std::string& file,
                                           int line);

// What moved between a previous line and the current one, and the
// differences of inputs that can explain it.
struct Movement {
  bool found = false; // the previous run had this (id, period)
  std::optional<VerifyStatus> previous_status;
  struct Value {
    std::string name; // RE, PE, ER, credited, or "allocation PARTY"
    std::optional<double> previous, now;
    bool operator==(const Value&) const = default;
  };
  std::vector<Value> moved; // computed values that differ
  // What differs that can explain it. `what`: mrv_version, methodology,
  // methodology_version, table (subject: its id), input (subject: role and
  // path), tolerance, claimed (subject: the value's name), error.
  struct Change {
    std::string what, subject, previous, now;
    bool operator==(const Change&) const = default;
  };
  std::vector<Change> changes;

  // The status or a computed value changed.
  bool moved_anything(VerifyStatus now) const {
    return found && (!moved.empty() || previous_status != now);
  }
};

// a − b as the output shows it: at 15 significant digits, without the noise
// of the two doubles' last bits.
double shown_difference(double a, double b);

// The output line of format mrv.verify/1 (docs/verify.md): one compact JSON
// object and a line feed; parse_verdict_line reads it back. With `against`,
// an "against" member last says what moved since the previous run.
std::string render_verdict_line(const PeriodVerdict& verdict, const Movement* against = nullptr);
Movement compare_with_previous(const PeriodVerdict* previous, const PeriodVerdict& now);

// The previous lines of `shard` that the current run did not produce
// (`produced`: its (id, period) pairs), in the previous file's order.
std::vector<const PeriodVerdict*>
missing_from_run(const PreviousRun& previous,
                 const std::set<std::pair<std::string, std::string>>& produced, const Shard& shard);

} // namespace mrv
