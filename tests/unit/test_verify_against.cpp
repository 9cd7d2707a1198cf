#include "mrv/render_verify.hpp"
#include "mrv/verify.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace mrv;

namespace {

PeriodVerdict sample() {
  PeriodVerdict v;
  v.id = "MN-1";
  v.period = "MP1";
  v.status = VerifyStatus::match;
  v.project = "MN-PV";
  v.methodology = "JCM_MN_AM003";
  v.methodology_version = "02.0";
  v.tables = {{"EF_RE_MN", "2013-2015 data"}};
  v.mrv_version = "0.1.0";
  v.inputs = {{"methodology", "bundled/JCM_MN_AM003_ver02.0.yaml", "aaaaaaaaaaaaaaaa"},
              {"project", "mn/project.yaml", "bbbbbbbbbbbbbbbb"},
              {"data", "mn/data.csv", "cccccccccccccccc"}};
  v.tolerance = Tolerance{0.05, 0, 0};
  v.values = {{"RE", 8165.8089346199995, 8165.8089346199995, true},
              {"PE", std::nullopt, 0.0, std::nullopt},
              {"ER", 8165.8, 8165.8089346199995, true},
              {"credited", 8165.0, 8165.0, true}};
  v.allocation = {{"japan", 4083.0, 4083.0, true}, {"participants", 4082.0, 4082.0, true}};
  v.scheme_check = SchemeVerdict{"model-project", true, 4083, 4083};
  return v;
}

PeriodVerdict read_back(const std::string& line) {
  Expected<PeriodVerdict> v = parse_verdict_line(line, "previous.jsonl", 1);
  REQUIRE_MESSAGE(v.has_value(), (v ? "" : format_diagnostic(v.error())));
  return *v;
}

std::string run_error(const std::string& text) {
  Expected<PreviousRun> run = parse_previous_run(text, "previous.jsonl");
  REQUIRE_FALSE(run.has_value());
  CHECK(run.error().code == ExitCode::invalid_input);
  return diagnostic_text(run.error());
}

} // namespace

TEST_SUITE("verify_against") {
  TEST_CASE("verify_against: a rendered line reads back as the verdict it came from") {
    const PeriodVerdict v = sample();
    const std::string line = render_verdict_line(v);
    CHECK(line.ends_with("}\n"));
    CHECK(line.find('\n') == line.size() - 1);
    CHECK(read_back(line) == v);

    PeriodVerdict error;
    error.id = "X";
    error.period = "2019";
    error.status = VerifyStatus::error;
    error.mrv_version = "0.1.0";
    error.values = {{"ER", 1.0, std::nullopt, std::nullopt}};
    error.error = "cannot open 'x.yaml': No such file or directory";
    CHECK(read_back(render_verdict_line(error)) == error);
  }

  TEST_CASE("verify_against: a line with an against member still reads back") {
    const PeriodVerdict v = sample();
    const Movement m = compare_with_previous(&v, v);
    CHECK(read_back(render_verdict_line(v, &m)) == v);
  }

  TEST_CASE("verify_against: the same line twice moved nothing and explains nothing") {
    const PeriodVerdict v = sample();
    const Movement m = compare_with_previous(&v, v);
    CHECK(m.found);
    CHECK(m.previous_status == VerifyStatus::match);
    CHECK(m.moved.empty());
    CHECK(m.changes.empty());
    CHECK_FALSE(m.moved_anything(v.status));
  }

  TEST_CASE("verify_against: a line the previous run did not have is new") {
    const Movement m = compare_with_previous(nullptr, sample());
    CHECK_FALSE(m.found);
    CHECK_FALSE(m.moved_anything(VerifyStatus::match));
  }

  TEST_CASE("verify_against: a new methodology version moves the numbers and says so") {
    const PeriodVerdict before = sample();
    PeriodVerdict now = sample();
    now.methodology_version = "03.0";
    now.tables = {{"EF_RE_MN", "2016-2018 data"}};
    now.inputs[0] = {"methodology", "bundled/JCM_MN_AM003_ver03.0.yaml", "dddddddddddddddd"};
    now.values[2].computed = 8300.5;
    now.values[2].match = false;
    now.values[3].computed = 8300;
    now.values[3].match = false;
    now.status = VerifyStatus::mismatch;
    const Movement m = compare_with_previous(&before, now);
    CHECK(m.moved_anything(now.status));
    REQUIRE(m.moved.size() == 2);
    CHECK(m.moved[0] == Movement::Value{"ER", 8165.8089346199995, 8300.5});
    CHECK(m.moved[1] == Movement::Value{"credited", 8165.0, 8300.0});
    REQUIRE(m.changes.size() == 4);
    CHECK(m.changes[0] == Movement::Change{"methodology_version", "", "02.0", "03.0"});
    CHECK(m.changes[1] ==
          Movement::Change{"table", "EF_RE_MN", "2013-2015 data", "2016-2018 data"});
    CHECK(m.changes[2] == Movement::Change{"input_path", "methodology",
                                           "bundled/JCM_MN_AM003_ver02.0.yaml",
                                           "bundled/JCM_MN_AM003_ver03.0.yaml"});
    CHECK(m.changes[3] == Movement::Change{"input", "methodology bundled/JCM_MN_AM003_ver03.0.yaml",
                                           "aaaaaaaaaaaaaaaa", "dddddddddddddddd"});
    CHECK(
        describe_movement(now, m) ==
        "MN-1 MP1: status match -> mismatch, ER 8165.8089346199995 -> 8300.5 (+134.691065380001), "
        "credited 8165 -> 8300 (+135); because: methodology version 02.0 -> 03.0, table "
        "EF_RE_MN version 2013-2015 data -> 2016-2018 data, methodology path "
        "bundled/JCM_MN_AM003_ver02.0.yaml -> bundled/JCM_MN_AM003_ver03.0.yaml, methodology "
        "bundled/JCM_MN_AM003_ver03.0.yaml sha256 aaaaaaaaaaaa -> dddddddddddd");
  }

  TEST_CASE("verify_against: changed data and a new engine are both named") {
    const PeriodVerdict before = sample();
    PeriodVerdict now = sample();
    now.mrv_version = "0.2.0";
    now.inputs[2].sha256 = "eeeeeeeeeeeeeeee";
    now.values[0].computed = 8166.0;
    const Movement m = compare_with_previous(&before, now);
    REQUIRE(m.changes.size() == 2);
    CHECK(m.changes[0] == Movement::Change{"mrv_version", "", "0.1.0", "0.2.0"});
    CHECK(m.changes[1] ==
          Movement::Change{"input", "data mn/data.csv", "cccccccccccccccc", "eeeeeeeeeeeeeeee"});
  }

  TEST_CASE("verify_against: numbers that move with nothing changed are flagged as unexplained") {
    const PeriodVerdict before = sample();
    PeriodVerdict now = sample();
    now.values[1].computed = 1.0;
    const Movement m = compare_with_previous(&before, now);
    CHECK(m.moved_anything(now.status));
    CHECK(m.changes.empty());
    CHECK(describe_movement(now, m) ==
          "MN-1 MP1: PE 0 -> 1 (+1); because: nothing this run can see changed (same engine "
          "version, methodology, tables, inputs and claims)");
  }

  TEST_CASE("verify_against: a changed claim or tolerance explains a changed status") {
    const PeriodVerdict before = sample();
    PeriodVerdict now = sample();
    now.values[3].claimed = 8166.0;
    now.values[3].match = false;
    now.status = VerifyStatus::mismatch;
    now.tolerance.absolute = 0.01;
    const Movement m = compare_with_previous(&before, now);
    CHECK(m.moved.empty());
    CHECK(m.moved_anything(now.status));
    REQUIRE(m.changes.size() == 2);
    CHECK(m.changes[0] == Movement::Change{"claimed", "credited", "8165", "8166"});
    CHECK(m.changes[1] == Movement::Change{"tolerance", "", "absolute 0.05, relative 0, credited 0",
                                           "absolute 0.01, relative 0, credited 0"});
  }

  TEST_CASE("verify_against: an allocation party that disappears has moved") {
    const PeriodVerdict before = sample();
    PeriodVerdict now = sample();
    now.allocation.pop_back();
    const Movement m = compare_with_previous(&before, now);
    REQUIRE(m.moved.size() == 1);
    CHECK(m.moved[0] == Movement::Value{"allocation participants", 4082.0, std::nullopt});
  }

  TEST_CASE("verify_against: a previous run is found by project and period") {
    PeriodVerdict a = sample(), b = sample();
    b.period = "MP2";
    const std::string text = render_verdict_line(a) + "\n" + render_verdict_line(b);
    Expected<PreviousRun> run = parse_previous_run(text, "previous.jsonl");
    REQUIRE(run.has_value());
    CHECK(run->lines.size() == 2);
    REQUIRE(run->find("MN-1", "MP2") != nullptr);
    CHECK(run->find("MN-1", "MP2")->period == "MP2");
    CHECK(run->find("MN-1", "MP3") == nullptr);
  }

  TEST_CASE("verify_against: what a previous file holds wrongly is placed by line and column") {
    const std::string good = render_verdict_line(sample());
    CHECK(run_error(good + "{\"format\": \"mrv.verify/1\", \"id\": }\n") ==
          "previous.jsonl:2:34: not valid JSON");
    CHECK(run_error("[1]\n") == "previous.jsonl:1:1: a line must be a JSON object");
    CHECK(run_error("{\"format\": \"mrv.calc/1\"}\n") ==
          "previous.jsonl:1: not a line of `mrv verify` output (format 'mrv.verify/1')");
    CHECK(run_error("{\"format\": \"mrv.verify/1\", \"id\": \"A\"}\n") ==
          "previous.jsonl:1: missing member 'period'");
    CHECK(run_error(good + good) ==
          "previous.jsonl:2: project 'MN-1' period 'MP1' appears twice (first on line 1)");
  }

  TEST_CASE("verify_against: blank lines and CRLF line ends are accepted") {
    const std::string line = render_verdict_line(sample());
    const std::string crlf = line.substr(0, line.size() - 1) + "\r\n";
    Expected<PreviousRun> run = parse_previous_run("\n" + crlf + "\n", "previous.jsonl");
    REQUIRE(run.has_value());
    CHECK(run->lines.size() == 1);
  }

  TEST_CASE("verify_against: only this shard's missing lines are reported as gone") {
    PreviousRun previous;
    for (const char* id : {"MN-PV-EXAMPLE", "ID-PV-EXAMPLE", "JCM-1", "JCM-2", "JCM-3"}) {
      PeriodVerdict v = sample();
      v.id = id;
      previous.lines.push_back(v);
    }
    const std::set<std::pair<std::string, std::string>> produced = {{"MN-PV-EXAMPLE", "MP1"}};
    std::size_t gone = 0;
    for (std::uint64_t k = 1; k <= 3; ++k)
      for (const PeriodVerdict* line : missing_from_run(previous, produced, Shard{k, 3})) {
        CHECK(in_shard(line->id, Shard{k, 3}));
        CHECK(line->id != "MN-PV-EXAMPLE");
        ++gone;
      }
    CHECK(gone == 4);
  }
}
