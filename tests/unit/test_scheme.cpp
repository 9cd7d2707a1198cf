// Scheme files: the format's errors, the folders they are found in, and a
// scheme added as a file alone.
#include "mrv/allocate.hpp"
#include "mrv/project.hpp"
#include "mrv/scheme.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

using namespace mrv;

namespace {

const std::string kAllocation = "allocation:\n"
                                "  minimum_share: 0.5\n"
                                "  status: seed\n"
                                "  statement: at least half\n"
                                "  source: {document: notes, confirmed: false}\n";

// A whole scheme file of the programme test-programme, FY2030, with
// `allocation` (and what follows it) and `id` given.
std::string scheme_text(const std::string& allocation = kAllocation,
                        const std::string& id = "test-programme-FY2030") {
  return "mrv: scheme/1\n"
         "id: " +
         id +
         "\n"
         "programme: test-programme\n"
         "title: A test programme\n"
         "fiscal_year: 2030\n"
         "source: {document: call, confirmed: false}\n" +
         allocation;
}

// The first line of the diagnostic: "mrv: s.yaml:LINE:COL: error: MESSAGE".
std::string error_of(const std::string& text) {
  Expected<Scheme> s = load_scheme(text, "s.yaml");
  REQUIRE_FALSE(s.has_value());
  CHECK(s.error().code == ExitCode::invalid_input);
  const std::string out = format_diagnostic(s.error());
  return out.substr(0, out.find('\n'));
}

std::string allocation_error(const std::string& allocation) {
  return error_of(scheme_text("allocation:\n" + allocation));
}

// A folder of the user's own scheme files, named by $MRV_SCHEMES while it
// lives.
class SchemeFolder {
public:
  SchemeFolder() {
    namespace fs = std::filesystem;
    root_ = fs::temp_directory_path() / ("mrv-schemes-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
    if (const char* old = std::getenv("MRV_SCHEMES")) saved_ = old, had_ = true;
    ::setenv("MRV_SCHEMES", root_.c_str(), 1);
  }
  ~SchemeFolder() {
    if (had_)
      ::setenv("MRV_SCHEMES", saved_.c_str(), 1);
    else
      ::unsetenv("MRV_SCHEMES");
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  SchemeFolder(const SchemeFolder&) = delete;
  SchemeFolder& operator=(const SchemeFolder&) = delete;
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(root_ / name) << text;
  }
  std::string path() const { return root_.string(); }

private:
  std::filesystem::path root_;
  std::string saved_;
  bool had_ = false;
};

SchemeRule rule_of(const std::string& name) {
  Expected<SchemeRule> rule = find_scheme_rule(name);
  REQUIRE_MESSAGE(rule.has_value(), (rule ? "" : format_diagnostic(rule.error())));
  return *rule;
}

std::int64_t credits_of(const Allocation& allocation, const std::string& name) {
  for (const PartyAllocation& p : allocation.parties)
    if (p.name == name) return p.credits;
  FAIL("no party " << name);
  return -1;
}

} // namespace

TEST_SUITE("scheme") {

  TEST_CASE("a scheme file holds its allocation rule and its thresholds") {
    Expected<Scheme> s = load_scheme(scheme_text() + "thresholds:\n"
                                                     "  payback_min:\n"
                                                     "    value: 3\n"
                                                     "    confirmed: false\n"
                                                     "    source: {document: notes, confirmed: "
                                                     "false}\n",
                                     "s.yaml");
    REQUIRE_MESSAGE(s.has_value(), (s ? "" : format_diagnostic(s.error())));
    CHECK(s->id == "test-programme-FY2030");
    CHECK(s->programme == "test-programme");
    CHECK(s->fiscal_year == 2030);
    CHECK(s->allocation.id == "test-programme-FY2030");
    CHECK(s->allocation.title == "A test programme");
    CHECK(s->allocation.minimum_share == 0.5);
    CHECK_FALSE(s->allocation.net_of_partner);
    CHECK_FALSE(s->allocation.subsidy_ratio);
    CHECK(s->allocation.status == "seed");
    CHECK(s->allocation.source.document == "notes");
    CHECK_FALSE(s->allocation.source.confirmed);
    REQUIRE(s->threshold("payback_min") != nullptr);
    CHECK(s->threshold("payback_min")->value == 3);
    CHECK(s->threshold("lease_years_min") == nullptr);
  }

  TEST_CASE("a scheme without thresholds screens nothing") {
    Expected<Scheme> s = load_scheme(scheme_text(), "s.yaml");
    REQUIRE(s.has_value());
    CHECK(s->thresholds.empty());
  }

  TEST_CASE("malformed scheme files are refused at their line and column") {
    CHECK(error_of("mrv: scheme/2\n") ==
          "mrv: s.yaml:1:6: error: unsupported format: expected 'mrv: scheme/1'");
    CHECK(error_of(scheme_text("thresholds: {}\n")) ==
          "mrv: s.yaml:1:1: error: a scheme is missing 'allocation'");
    CHECK(error_of(scheme_text() + "rule: x\n") ==
          "mrv: s.yaml:12:1: error: unknown key 'rule' in a scheme");
    CHECK(error_of(scheme_text(kAllocation, "test-programme-FY2031")) ==
          "mrv: s.yaml:2:5: error: id must be 'test-programme-FY2030' "
          "(<programme>-FY<fiscal_year>)");
    CHECK(error_of("mrv: scheme/1\nid: none-FY2030\nprogramme: none\n") ==
          "mrv: s.yaml:3:12: error: programme 'none' is reserved: it names no scheme");
    CHECK(error_of("mrv: scheme/1\nid: X-FY2030\nprogramme: X\n") ==
          "mrv: s.yaml:3:12: error: programme must be lowercase letters, digits and '-', "
          "starting with a letter (model-project)");
    CHECK(error_of("mrv: scheme/1\nid: a-FY20\nprogramme: a\ntitle: t\nfiscal_year: 20.5\n") ==
          "mrv: s.yaml:5:14: error: fiscal_year must be a year of four digits (2022)");
    CHECK(error_of(scheme_text() + "thresholds: {payback_max: {value: 3}}\n") ==
          "mrv: s.yaml:12:14: error: unknown key 'payback_max' in thresholds");
  }

  TEST_CASE("an allocation rule says its minimum, its status and its source") {
    CHECK(allocation_error("  status: seed\n  statement: s\n  source: {document: d, confirmed: "
                           "false}\n") ==
          "mrv: s.yaml:8:3: error: allocation is missing 'minimum_share'");
    CHECK(allocation_error("  minimum_share: 1.5\n") ==
          "mrv: s.yaml:8:18: error: minimum_share must be from 0 to 1 (0 sets no minimum)");
    CHECK(allocation_error("  minimum_share: 0.5\n  net_of_partners: true\n") ==
          "mrv: s.yaml:9:3: error: unknown key 'net_of_partners' in allocation");
    CHECK(allocation_error("  minimum_share: 0.5\n  subsidy_ratio: yes\n") ==
          "mrv: s.yaml:9:18: error: subsidy_ratio must be true or false");
    CHECK(allocation_error("  minimum_share: 0.5\n  share_by_agreement: true\n") ==
          "mrv: s.yaml:9:23: error: share_by_agreement: a scheme whose agreement sets Japan's "
          "share sets no minimum (minimum_share: 0)");
    CHECK(allocation_error("  minimum_share: 0.5\n  statement: s\n  source: {document: d}\n") ==
          "mrv: s.yaml:10:11: error: a source is missing 'confirmed'");
    CHECK(allocation_error("  minimum_share: 0.5\n  statement: s\n  source: {document: d, "
                           "confirmed: false}\n  status: draft\n") ==
          "mrv: s.yaml:11:11: error: unknown status 'draft' (confirmed, seed or unconfirmed)");
  }

  TEST_CASE("a rule's status agrees with whether its source was read in an official text") {
    CHECK(allocation_error("  minimum_share: 0.5\n  statement: s\n  source: {document: d, "
                           "confirmed: false}\n  status: confirmed\n") ==
          "mrv: s.yaml:11:11: error: status confirmed needs a source read in an official text "
          "(source.confirmed: true)");
    CHECK(allocation_error("  minimum_share: 0.5\n  statement: s\n  source: {document: d, "
                           "confirmed: true}\n  status: seed\n") ==
          "mrv: s.yaml:11:11: error: status seed contradicts source.confirmed: true (a rule read "
          "in an official text is confirmed)");
  }

  TEST_CASE("a scheme file is named after its id") {
    SchemeFolder folder;
    folder.write("test-programme-FY2031.yaml", scheme_text());
    Expected<Scheme> s = load_scheme_file(folder.path() + "/test-programme-FY2031.yaml");
    REQUIRE_FALSE(s.has_value());
    CHECK(s.error().message ==
          "scheme 'test-programme-FY2030' must be in a file named test-programme-FY2030.yaml");
    CHECK(s.error().where.line == 2);
  }

  TEST_CASE("the bundled schemes: every programme, each rule with its source") {
    const std::vector<std::string> programmes = scheme_programmes();
    CHECK(programmes ==
          std::vector<std::string>{"eco-lease", "fgas", "jfjcm", "model-project", "redd-plus"});
    for (const SchemeFile& file : scheme_files()) {
      CAPTURE(file.path);
      Expected<Scheme> s = load_scheme_file(file.path);
      REQUIRE_MESSAGE(s.has_value(), (s ? "" : format_diagnostic(s.error())));
      CHECK(s->id == file.id);
      CHECK_FALSE(s->allocation.statement.empty());
      CHECK_FALSE(s->allocation.source.document.empty());
      for (const Threshold& t : s->thresholds)
        CHECK_FALSE(t.source.document.empty());
    }
    CHECK(subsidy_ratio_programmes() == std::vector<std::string>{"fgas", "redd-plus"});
  }

  TEST_CASE("a scheme is named by its file's id, its programme, a path or none") {
    CHECK(rule_of("fgas-FY2022").id == "fgas-FY2022");
    CHECK(rule_of("fgas").id == "fgas"); // results print the name asked
    CHECK(rule_of("fgas").file.ends_with("schemes/fgas-FY2022.yaml"));
    CHECK(rule_of(MRV_SOURCE_DIR "/methodologies/schemes/fgas-FY2022.yaml").id == "fgas-FY2022");
    const SchemeRule none = rule_of("none");
    CHECK(none.minimum_share == 0);
    CHECK(none.status.empty());
    CHECK(none.file.empty());
  }

  TEST_CASE("a project's credit terms name a scheme file by a path relative to the project") {
    const std::string text = "mrv: project/1\n"
                             "id: P\n"
                             "methodology: JCM_MN_AM003_ver02.0\n"
                             "utc_offset: \"+08:00\"\n"
                             "units: [{id: U}]\n"
                             "periods: [{id: MP1, from: 2017-01-01, to: 2017-12-31}]\n"
                             "credit_terms:\n"
                             "  scheme: ../methodologies/schemes/jfjcm-FY2020.yaml\n";
    Expected<Project> p = load_project(text, MRV_SOURCE_DIR "/examples/p.yaml");
    REQUIRE_MESSAGE(p.has_value(), (p ? "" : format_diagnostic(p.error())));
    REQUIRE(p->credit_terms.has_value());
    CHECK(p->credit_terms->request.scheme.id == "jfjcm-FY2020");
    CHECK(p->credit_terms->request.scheme.share_by_agreement);
    Expected<Project> missing = load_project(text, MRV_SOURCE_DIR "/tests/unit/p.yaml");
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().code == ExitCode::cannot_open);
  }

  TEST_CASE("an unknown scheme lists the choices, with a did-you-mean") {
    Expected<SchemeRule> rule = find_scheme_rule("model_project");
    REQUIRE_FALSE(rule.has_value());
    CHECK(rule.error().code == ExitCode::usage);
    CHECK(rule.error().where.file.empty());
    CHECK(rule.error().message ==
          "unknown scheme 'model_project' (a scheme file: eco-lease-FY2020, fgas-FY2022, "
          "jfjcm-FY2020, model-project-FY2020, redd-plus-FY2020; a programme, for its latest "
          "fiscal year: eco-lease, fgas, jfjcm, model-project, redd-plus; or none)");
    REQUIRE(rule.error().notes.size() == 2);
    CHECK(rule.error().notes[0] == "did you mean 'model-project'?");
    CHECK(rule.error().notes[1].starts_with("scheme files are read from "));
    Expected<Scheme> none = find_scheme("none");
    REQUIRE_FALSE(none.has_value());
    CHECK(none.error().message ==
          "scheme none is no scheme file: it has no rule to check and no thresholds");
  }

  TEST_CASE("adding a scheme is adding a file") {
    SchemeFolder folder;
    CHECK_FALSE(find_scheme_rule("test-programme").has_value());
    folder.write("test-programme-FY2030.yaml",
                 scheme_text("allocation:\n"
                             "  minimum_share: 0.6\n"
                             "  status: unconfirmed\n"
                             "  statement: at least 60% to the Government of Japan\n"
                             "  source: {document: notes, confirmed: false}\n"));
    CHECK(scheme_choices().find("test-programme-FY2030") != std::string::npos);
    AllocationRequest request;
    request.credits = 1001;
    request.scheme = rule_of("test-programme");
    Expected<Allocation> a = allocate(request);
    REQUIRE(a.has_value());
    CHECK(credits_of(*a, "japan") == 601); // ceil(0.6 × 1001)
    CHECK(credits_of(*a, "participants") == 400);
    CHECK(a->check.scheme == "test-programme");
  }

  TEST_CASE("a later fiscal year of a programme is what the programme names") {
    SchemeFolder folder;
    folder.write("test-programme-FY2030.yaml", scheme_text());
    std::string later = scheme_text("allocation:\n"
                                    "  minimum_share: 0.7\n"
                                    "  status: seed\n"
                                    "  statement: s\n"
                                    "  source: {document: notes, confirmed: false}\n",
                                    "test-programme-FY2031");
    later.replace(later.find("fiscal_year: 2030"), 17, "fiscal_year: 2031");
    folder.write("test-programme-FY2031.yaml", later);
    CHECK(rule_of("test-programme").minimum_share == 0.7);
    CHECK(rule_of("test-programme-FY2030").minimum_share == 0.5);
  }

  TEST_CASE("a file in $MRV_SCHEMES hides the bundled file of the same id") {
    SchemeFolder folder;
    std::string own = scheme_text("allocation:\n"
                                  "  minimum_share: 0.75\n"
                                  "  status: seed\n"
                                  "  statement: s\n"
                                  "  source: {document: notes, confirmed: false}\n",
                                  "fgas-FY2022");
    own.replace(own.find("programme: test-programme"), 25, "programme: fgas");
    own.replace(own.find("fiscal_year: 2030"), 17, "fiscal_year: 2022");
    folder.write("fgas-FY2022.yaml", own);
    CHECK(rule_of("fgas").minimum_share == 0.75);
    CHECK(rule_of("fgas").file == folder.path() + "/fgas-FY2022.yaml");
  }

  TEST_CASE("a folder of $MRV_SCHEMES that cannot be read is an error, not an empty list") {
    SchemeFolder folder;
    ::setenv("MRV_SCHEMES", (folder.path() + "/missing").c_str(), 1);
    Expected<SchemeRule> rule = find_scheme_rule("fgas");
    REQUIRE_FALSE(rule.has_value());
    CHECK(rule.error().code == ExitCode::cannot_open);
    CHECK(rule.error().message.starts_with("cannot open '" + folder.path() + "/missing': "));
    CHECK(scheme_choices().starts_with("the scheme files cannot be listed: "));
  }

  TEST_CASE("REDD+: the F-gas rule, added as a file") {
    const SchemeRule redd = rule_of("redd-plus");
    CHECK(redd.file.ends_with("schemes/redd-plus-FY2020.yaml"));
    CHECK(redd.status == "unconfirmed");
    CHECK_FALSE(redd.source.confirmed);
    AllocationRequest request;
    request.credits = 2000;
    request.scheme = redd;
    request.parties = {PartyShare{"partner", 0.1, ShareRounding::down}};
    request.subsidy = 30000000;
    request.eligible_cost = 50000000;
    Expected<Allocation> a = allocate(request);
    REQUIRE(a.has_value());
    // ceil(max(0.6, 1/2) × (2000 − 200)), as under fgas.
    CHECK(credits_of(*a, "japan") == 1080);
    CHECK(credits_of(*a, "partner") == 200);
    CHECK(credits_of(*a, "participants") == 720);
    request.scheme = rule_of("fgas");
    Expected<Allocation> fgas = allocate(request);
    REQUIRE(fgas.has_value());
    CHECK(fgas->parties.size() == a->parties.size());
    for (std::size_t i = 0; i < a->parties.size(); ++i)
      CHECK(fgas->parties[i].credits == a->parties[i].credits);
  }
}
