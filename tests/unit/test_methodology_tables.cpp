// `mrv methodology show --table`: every row of a default-value table, its
// keys or band, value, unit and source, in the row formats and as JSON.
#include "mrv/methodology.hpp"
#include "mrv/render.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace mrv;

namespace {

Methodology key_band() {
  Expected<Methodology> m = load_methodology_file(
      std::string(MRV_SOURCE_DIR) + "/tests/golden/methodology-table-key-band/methodology.yaml");
  REQUIRE(m);
  return *m;
}

} // namespace

TEST_SUITE("methodology_tables") {
  TEST_CASE("methodology_tables: a key and band table, an open band's end empty") {
    const Expected<std::string> csv = render_methodology_table(key_band(), "NLL_T", Format::csv);
    REQUIRE(csv);
    CHECK(*csv == "phase,from (kVA),to (kVA),value,unit,source,confirmed\n"
                  "single,0,50,100,W,test,no\n"
                  "single,50,,150,W,test,no\n"
                  "three,0,400,500,W,test,no\n"
                  "three,400,,800,W,test,no\n");
  }

  TEST_CASE("methodology_tables: jsonl has a row each, an open band's end null") {
    const Expected<std::string> jsonl =
        render_methodology_table(key_band(), "NLL_T", Format::jsonl);
    REQUIRE(jsonl);
    CHECK(jsonl->starts_with(R"({"from":0,"to":50,"band_unit":"kVA","value":100,"unit":"W",)"));
    CHECK(jsonl->find(R"({"from":50,"to":null,)") != std::string::npos);
    std::size_t lines = 0;
    for (char c : *jsonl)
      lines += c == '\n';
    CHECK(lines == 4);
  }

  TEST_CASE("methodology_tables: show prints every table's rows in table, md and json") {
    const Methodology m = key_band();
    CHECK(render_methodology(m, Format::table).find("single          50              150  W") !=
          std::string::npos);
    CHECK(render_methodology(m, Format::md).find("### NLL_T") != std::string::npos);
    CHECK(render_methodology(m, Format::json).find("\"row_values\": [") != std::string::npos);
  }

  TEST_CASE("methodology_tables: a table it does not have is a usage error naming those it has") {
    const Expected<std::string> r = render_methodology_table(key_band(), "NLL", Format::csv);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ExitCode::usage);
    CHECK(r.error().message.ends_with("has no table 'NLL' (tables: NLL_T)"));
    REQUIRE(r.error().notes.size() == 1);
    CHECK(r.error().notes[0] == "did you mean 'NLL_T'?");
  }
}
