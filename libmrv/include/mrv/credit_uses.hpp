// The rules a use of the credits sets (CORSIA: eligible vintages, eligible
// programmes, the host country's authorisation and corresponding
// adjustment), as data: one file per use in the scheme folders,
// use-<use>.yaml, each rule with its source and whether it was confirmed
// against an official text. A project's `credits:` section says which uses
// it intends; assess_uses() states per monitoring period whether the credits
// meet each rule. Format and bundled rules: docs/schemes.md#rules-of-use.
#pragma once

#include "mrv/diagnostic.hpp"
#include "mrv/methodology.hpp"
#include "mrv/project.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mrv {

// One rule of a use. `kind` says what is compared:
//   vintage                   the period's emission reductions fall within
//                             [first_day, last_day] (either bound open)
//   programme                 the programme issuing the credits is one of
//                             `programmes`
//   authorisation             the host country authorised the credits for
//                             this use
//   corresponding_adjustment  the host country applies one
struct UseRule {
  std::string kind;
  std::string statement; // the rule in words
  std::optional<std::int64_t> first_day, last_day;
  std::vector<std::string> programmes;
  Provenance source;
  Location location;
};

struct UseRules {
  std::string use; // "CORSIA", as a project's intended_uses names it
  std::string title;
  Provenance source; // the document that lists the rules as a whole
  std::vector<UseRule> rules;
  std::string file;
};

// Parses a rules file's text (`mrv: use/1`); errors are located.
Expected<UseRules> load_use_rules(std::string text, std::string file);
// The rules of `use` from the scheme folders (use-<lowercase use>.yaml, the
// first folder that has it), or nothing when no folder has a file for it.
Expected<std::optional<UseRules>> find_use_rules(const std::string& use);

// One rule against one period: met, not_met, or unknown (the project does
// not declare what the rule needs).
enum class RuleResult { met, not_met, unknown };
const char* rule_result_name(RuleResult result);

struct RuleOutcome {
  std::string kind;
  RuleResult result = RuleResult::unknown;
  std::string why;
  Provenance source;
};

// Whether one period's credits meet the rules of one intended use: `meets`
// only when every rule is met.
struct UseAssessment {
  std::string use;
  std::string period;
  RuleResult verdict = RuleResult::unknown;
  std::vector<RuleOutcome> rules;
  std::string statement; // one sentence, as the report and verify print it
  std::string file;      // the rules file
};

// Every intended use that has rules, for every period of the project (its
// first and last day, inclusive); nothing without a `credits:` section.
std::vector<UseAssessment> assess_uses(const Project& project, const std::vector<UseRules>& rules);
// The rules of every use the project intends that has a rules file.
Expected<std::vector<UseRules>> rules_for_project(const Project& project);

} // namespace mrv
