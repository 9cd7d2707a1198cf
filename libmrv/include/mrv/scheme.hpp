// A financing scheme as data: one YAML file per programme and fiscal year
// (methodologies/schemes/<programme>-FY<year>.yaml) holding the rule that
// splits the issued credits (`mrv allocate`) and the thresholds a proposal is
// screened against (`mrv screen`), each with its source. Adding a scheme is
// adding a file. Format and bundled schemes: docs/schemes.md.
#pragma once

#include "mrv/diagnostic.hpp"
#include "mrv/methodology.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mrv {

// What a financing scheme requires of Japan's part of the issued credits N.
// Japan's minimum is
//   ceil(fraction × base), fraction = minimum_share, or with subsidy_ratio
//   the larger of subsidy ÷ eligible cost and minimum_share; base = N, or
//   with net_of_partner N minus the partner's allocation.
// minimum_share 0 means the scheme sets no minimum.
struct SchemeRule {
  // The name the rule was asked by: a scheme file's id ("fgas-FY2022"), its
  // programme ("fgas", the latest fiscal year), or "none"; results print it.
  std::string id;
  std::string title; // "JCM Model Project (equipment subsidy)"
  double minimum_share = 0;
  bool net_of_partner = false;
  bool subsidy_ratio = false;
  // Japan's share is set per project agreement: without one, say so.
  bool share_by_agreement = false;
  std::string status;    // "confirmed", "seed" or "unconfirmed"; "" for no scheme
  std::string statement; // the rule in words
  Provenance source;
  std::string file; // the scheme file; "" for none
};

// The rule of no financing scheme (`none`): no minimum, nothing to check. It
// is the absence of a scheme, not a scheme file.
SchemeRule no_scheme_rule();
// The scheme `mrv allocate` checks when none is named.
inline constexpr std::string_view default_scheme = "model-project";

// A threshold that depends on a number (similar projects, fiscal year):
// applies when from <= x <= to (a missing bound is open).
struct ThresholdTier {
  std::optional<double> from, to;
  double value = 0;
};

struct Threshold {
  std::string id; // subsidy_rate_cap, cost_effectiveness_max, ...
  double value = 0;
  std::vector<ThresholdTier> tiers; // instead of `value` for tiered thresholds
  std::string unit;
  bool confirmed = false; // the threshold as a whole was read in an official text
  std::string note;
  Provenance source;
  Location location;
};

// The threshold ids a scheme file may use.
const std::vector<std::string>& threshold_ids();

// One scheme file.
struct Scheme {
  std::string id;        // model-project-FY2020: <programme>-FY<fiscal_year>
  std::string programme; // model-project
  std::string title;
  int fiscal_year = 0;
  Provenance source;
  SchemeRule allocation;             // its id is the file's id
  std::vector<Threshold> thresholds; // none for a scheme that screens nothing
  std::string file;
  const Threshold* threshold(std::string_view id) const;
};

// Parses a scheme file's text; `file` names it in diagnostics. Unknown keys,
// missing or malformed values, an id other than <programme>-FY<fiscal_year>
// and a status that contradicts the rule's source are invalid input with the
// file, line and column.
Expected<Scheme> load_scheme(std::string text, std::string file);
// Reads and parses a file, which must be named after the scheme's id.
Expected<Scheme> load_scheme_file(const std::string& path);

// Where scheme files are looked for, in order: each folder of $MRV_SCHEMES
// (separated by ':'), then <methodology_directory()>/schemes.
std::vector<std::string> scheme_directories();

// A scheme file found in those folders, by its name alone (not read).
struct SchemeFile {
  std::string id, programme;
  int fiscal_year = 0;
  std::string path;
};
// Every file named <programme>-FY<year>.yaml in the scheme folders, sorted
// by id; an id in an earlier folder hides the same id in a later one. Other
// files are not schemes (useful-lives-JP.yaml shares the folder). Empty when
// a folder cannot be read: find_scheme() and scheme_choices() say why.
std::vector<SchemeFile> scheme_files();
// The programmes of those files, sorted, without repeats.
std::vector<std::string> scheme_programmes();
// The names a scheme can be given by, for help texts and errors:
// "eco-lease-FY2020, fgas-FY2022, ...; a programme (its latest fiscal
// year): eco-lease, fgas, ...; or none".
std::string scheme_choices();

// The scheme file named by a path (containing '/' or ending in .yaml,
// relative to `base_dir` when given), an id, or a programme (its latest
// fiscal year). An unknown name (or "none") is a usage error without a
// location (ExitCode::usage) that lists the choices, with a did-you-mean, so
// that a caller can place it where the name was written; a file that cannot
// be read or parsed keeps its own code and place.
Expected<Scheme> find_scheme(const std::string& name, const std::string& base_dir = "");
// The allocation rule of find_scheme(name), with its id set to the name asked
// (the file's id when a path was given); "none" is no_scheme_rule().
Expected<SchemeRule> find_scheme_rule(const std::string& name, const std::string& base_dir = "");
// The programmes whose latest rule uses the subsidy ratio ("fgas, redd-plus"),
// for messages about --subsidy; files that cannot be read are left out.
std::vector<std::string> subsidy_ratio_programmes();

} // namespace mrv
