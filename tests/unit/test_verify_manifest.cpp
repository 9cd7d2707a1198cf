#include "mrv/verify.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace mrv;

namespace {

Manifest loaded(const std::string& text, const std::string& file = "batch/manifest.yaml") {
  Expected<Manifest> m = load_manifest(text, file);
  REQUIRE_MESSAGE(m.has_value(), (m ? "" : format_diagnostic(m.error())));
  return *m;
}

// "LINE:COL: MESSAGE" of the error a manifest gives.
std::string error_of(const std::string& text) {
  Expected<Manifest> m = load_manifest(text, "m.yaml");
  REQUIRE_FALSE(m.has_value());
  CHECK(m.error().code == ExitCode::invalid_input);
  CHECK(m.error().where.file == "m.yaml");
  return std::to_string(m.error().where.line) + ":" + std::to_string(m.error().where.column) +
         ": " + m.error().message;
}

const std::string kHead = "mrv: verify/1\nprojects:\n";

std::string with_entry(const std::string& entry) {
  return kHead + "  - " + entry + "\n";
}

} // namespace

TEST_SUITE("verify_manifest") {
  TEST_CASE("verify_manifest: entries, paths, tolerances and claims become plain structs") {
    const Manifest m = loaded(R"(mrv: verify/1
tolerance: {absolute: 0.5, credited: 1}
projects:
  - id: A
    project: ../a/project.yaml
    data: [../a/one.csv, meters=/data/two.csv]
    tolerance: {relative: 0.001}
    allocation: {scheme: eco-lease, parties: ["partner=10%"], remainder: lessor}
    claims:
      - {period: MP1, RE: 10.5, PE: 0.5, ER: 10, credited: 10, allocation: {japan: 5, lessor: 5}}
      - {period: "2019", credited: 3}
  - id: B
    project: /abs/b.yaml
    data: b.csv
    claims: [{period: P, ER: 1}]
)");
    CHECK(m.file == "batch/manifest.yaml");
    CHECK(m.sha256.size() == 64);
    REQUIRE(m.projects.size() == 2);
    const ManifestProject& a = m.projects[0];
    CHECK(a.id == "A");
    CHECK(a.project_file == "a/project.yaml");
    CHECK(a.data_files == std::vector<std::string>{"a/one.csv", "meters=/data/two.csv"});
    CHECK(a.tolerance == Tolerance{0.5, 0.001, 1});
    REQUIRE(a.allocation.has_value());
    CHECK(a.allocation->scheme.id == "eco-lease");
    REQUIRE(a.allocation->parties.size() == 1);
    CHECK(a.allocation->parties[0].name == "partner");
    CHECK(a.allocation->parties[0].share == doctest::Approx(0.1));
    CHECK(a.allocation->remainder == "lessor");
    REQUIRE(a.claims.size() == 2);
    CHECK(a.claims[0].period == "MP1");
    CHECK(a.claims[0].reference == 10.5);
    CHECK(a.claims[0].project == 0.5);
    CHECK(a.claims[0].reductions == 10);
    CHECK(a.claims[0].credited == 10);
    CHECK(a.claims[0].allocation ==
          std::vector<std::pair<std::string, std::int64_t>>{{"japan", 5}, {"lessor", 5}});
    CHECK(a.claims[0].location.line == 10);
    CHECK(a.claims[1].period == "2019");
    CHECK_FALSE(a.claims[1].reductions.has_value());
    const ManifestProject& b = m.projects[1];
    CHECK(b.project_file == "/abs/b.yaml");
    CHECK(b.data_files == std::vector<std::string>{"batch/b.csv"});
    CHECK(b.tolerance == Tolerance{0.5, 1e-9, 1});
    CHECK_FALSE(b.allocation.has_value());
  }

  TEST_CASE("verify_manifest: without tolerances, values match up to noise and credits exactly") {
    const Manifest m =
        loaded(with_entry("{id: A, project: p.yaml, claims: [{period: P, ER: 1}]}"), "m.yaml");
    CHECK(m.projects[0].tolerance == Tolerance{0, 1e-9, 0});
    CHECK(m.projects[0].project_file == "p.yaml");
  }

  TEST_CASE("verify_manifest: the format line is checked first") {
    CHECK(error_of("mrv: verify/2\nprojects: []\n") ==
          "1:6: unsupported format: expected 'mrv: verify/1'");
    // Not one of mrv's files at all: nothing of it is quoted.
    CHECK(error_of("projects: []\n") ==
          "0:0: 'm.yaml' is not a verify manifest: it has no line `mrv: verify/1`");
    CHECK(error_of("mrv: verify/1\n[1, 2]\n") == "2:1: end of map not found");
  }

  TEST_CASE("verify_manifest: the projects must be a non-empty list of known keys") {
    CHECK(error_of("mrv: verify/1\n") == "1:1: a manifest is missing 'projects'");
    CHECK(error_of("mrv: verify/1\nprojects: []\n") == "2:11: projects must be a non-empty list");
    CHECK(error_of("mrv: verify/1\nproject: []\n") == "2:1: unknown key 'project' in a manifest");
    CHECK(error_of(with_entry("{id: A, projet: p.yaml}")) ==
          "3:13: unknown key 'projet' in a manifest project");
    CHECK(error_of(with_entry("{project: p.yaml, claims: [{period: P, ER: 1}]}")) ==
          "3:5: a manifest project is missing 'id'");
    CHECK(error_of(with_entry("{id: A, claims: [{period: P, ER: 1}]}")) ==
          "3:5: a manifest project is missing 'project'");
    CHECK(error_of(with_entry("{id: A, project: p.yaml}")) ==
          "3:5: a manifest project is missing 'claims'");
    CHECK(error_of(with_entry("{id: \"\", project: p.yaml, claims: [{period: P, ER: 1}]}")) ==
          "3:10: id cannot be empty");
  }

  TEST_CASE("verify_manifest: an id listed twice names the first") {
    CHECK(error_of(kHead + "  - {id: A, project: p.yaml, claims: [{period: P, ER: 1}]}\n" +
                   "  - {id: A, project: q.yaml, claims: [{period: P, ER: 1}]}\n") ==
          "4:10: project 'A' is listed twice (first on line 3)");
  }

  TEST_CASE("verify_manifest: data cannot be standard input or empty") {
    CHECK(error_of(with_entry("{id: A, project: p.yaml, data: [\"-\"], claims: [{period: P, ER: "
                              "1}]}")) ==
          "3:37: data cannot be standard input ('-') in a manifest");
    CHECK(error_of(with_entry("{id: A, project: p.yaml, data: [\"m=\"], claims: [{period: P, "
                              "ER: 1}]}")) == "3:37: data cannot be an empty path");
  }

  TEST_CASE("verify_manifest: a claim needs a period and at least one value") {
    CHECK(error_of(with_entry("{id: A, project: p.yaml, claims: []}")) ==
          "3:38: claims must be a non-empty list");
    CHECK(error_of(with_entry("{id: A, project: p.yaml, claims: [{ER: 1}]}")) ==
          "3:39: a claim is missing 'period'");
    CHECK(error_of(with_entry("{id: A, project: p.yaml, claims: [{period: P}]}")) ==
          "3:39: a claim must give at least one of RE, PE, ER, credited, allocation");
    CHECK(error_of(with_entry("{id: A, project: p.yaml, claims: [{period: P, CO2: 1}]}")) ==
          "3:51: unknown key 'CO2' in a claim");
    CHECK(error_of(with_entry(
              "{id: A, project: p.yaml, claims: [{period: P, ER: 1}, {period: P, RE: 1}]}")) ==
          "3:68: period 'P' is claimed twice (first on line 3)");
  }

  TEST_CASE("verify_manifest: claimed values are numbers, credits whole and not negative") {
    CHECK(error_of(with_entry("{id: A, project: p.yaml, claims: [{period: P, ER: \"12\"}]}")) ==
          "3:55: ER must be a number");
    CHECK(error_of(with_entry("{id: A, project: p.yaml, claims: [{period: P, RE: 12 t}]}")) ==
          "3:55: RE must be a number, not '12 t'");
    CHECK(error_of(with_entry("{id: A, project: p.yaml, claims: [{period: P, credited: 1.5}]}")) ==
          "3:61: credited must be a whole number of tCO2, not '1.5'");
    CHECK(error_of(with_entry("{id: A, project: p.yaml, claims: [{period: P, credited: -2}]}")) ==
          "3:61: credited cannot be negative");
    CHECK(error_of(with_entry(
              "{id: A, project: p.yaml, claims: [{period: P, allocation: {japan: 1.5}}]}")) ==
          "3:71: the allocation of 'japan' must be a whole number of tCO2, not '1.5'");
    CHECK(error_of(
              with_entry("{id: A, project: p.yaml, claims: [{period: P, allocation: [japan]}]}")) ==
          "3:63: allocation must map each party to its whole tCO2");
  }

  TEST_CASE("verify_manifest: tolerances are numbers of the right kind") {
    CHECK(error_of("mrv: verify/1\ntolerance: {absolute: -1}\nprojects: []\n") ==
          "2:23: absolute tolerance cannot be negative");
    CHECK(error_of("mrv: verify/1\ntolerance: {credited: 0.5}\nprojects: []\n") ==
          "2:23: credited tolerance must be a whole number of tCO2, not '0.5'");
    CHECK(error_of("mrv: verify/1\ntolerance: {relatve: 0.5}\nprojects: []\n") ==
          "2:13: unknown key 'relatve' in tolerance");
    CHECK(error_of("mrv: verify/1\ntolerance: 0.5\nprojects: []\n") ==
          "2:12: tolerance must be a map");
  }

  TEST_CASE("verify_manifest: allocation terms are those of mrv allocate") {
    Expected<Manifest> m = load_manifest(
        with_entry("{id: A, project: p.yaml, allocation: {scheme: model-projet}, claims: "
                   "[{period: P, credited: 1}]}"),
        "m.yaml");
    REQUIRE_FALSE(m.has_value());
    CHECK(m.error().message.starts_with("unknown scheme 'model-projet' (a scheme file: "));
    CHECK(m.error().where.column == 51);
    REQUIRE_FALSE(m.error().notes.empty());
    CHECK(m.error().notes.front() == "did you mean 'model-project'?");
    CHECK(error_of(with_entry("{id: A, project: p.yaml, allocation: {parties: [japan=120%]}, "
                              "claims: [{period: P, credited: 1}]}")) ==
          "3:53: party 'japan=120%': share 120% is outside 0 to 1 (0% to 100%)");
    CHECK(error_of(with_entry("{id: A, project: p.yaml, allocation: {fgas_reading: half}, "
                              "claims: [{period: P, credited: 1}]}")) ==
          "3:57: fgas_reading must be 'net' or 'total'");
  }

  TEST_CASE("verify_manifest: malformed YAML keeps the parser's place") {
    Expected<Manifest> m = load_manifest("mrv: verify/1\nprojects: [\n", "m.yaml");
    REQUIRE_FALSE(m.has_value());
    CHECK(m.error().where.line >= 2);
  }
}
