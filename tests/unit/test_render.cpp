#include "mrv/render.hpp"

#include <doctest/doctest.h>

#include <limits>
#include <string>

using namespace mrv;

namespace {

// Two periods; the first broken down by month and by unit, with a key value
// among its trace values; a note.
CalcResult sample_result() {
  CalcResult r;
  r.mrv_version = "0.1.0";
  r.methodology = "JCM_XX_AM001";
  r.methodology_version = "01.0";
  r.project = "P-1";
  r.rounding = "floor";
  r.inputs = {{"methodology", "m.yaml", "aa11"}, {"data", "d.csv", "bb22"}};
  r.rows = {10, 8, 1, 1, 0};

  SliceResult p1;
  p1.period = "P1";
  p1.from = "2017-01-01";
  p1.to = "2017-02-28";
  p1.records = 6;
  p1.reference = 4.35;
  p1.project = 0.25;
  p1.reductions = 4.1;
  p1.reductions_15 = 4.1;
  p1.credited = 4;
  p1.values = {{"RE_p", 4.35, "tCO2", ""}, {"grid", 0, "", "national_grid"}};
  p1.units = {{"A", 3, 0.25, 2.75, {{"EG_i_p", 3, "MWh", ""}}, 4}, {"B", 1.35, 0, 1.35, {}, 2}};

  SliceResult january = p1;
  january.month = "2017-01";
  january.to = "2017-01-31";
  january.credited.reset();
  january.records = 4;
  january.reference = 3;
  january.project = 0.25;
  january.reductions = 2.75;
  january.reductions_15 = 2.75;
  january.values = {};
  january.units = {{"A", 3, 0.25, 2.75, {}, 4}};
  SliceResult february = january;
  february.month = "2017-02";
  february.from = "2017-02-01";
  february.to = "2017-02-28";
  february.records = 2;
  february.reference = 1.35;
  february.project = 0;
  february.reductions = 1.35;
  february.reductions_15 = 1.35;
  february.units = {{"B", 1.35, 0, 1.35, {}, 2}};

  SliceResult p2;
  p2.period = "P2";
  p2.from = "2017-03-01";
  p2.to = "2017-03-31";
  p2.records = 2;
  p2.reference = 0.5;
  p2.project = 1;
  p2.reductions = -0.5;
  p2.reductions_15 = -0.5;
  p2.credited = 0;

  r.periods = {p1, p2};
  r.months = {january, february};
  r.notes = {"P2: negative ER credited as 0"};
  return r;
}

// The smallest complete result: one period, nothing broken down.
CalcResult small_result() {
  CalcResult r;
  r.mrv_version = "0.1.0";
  r.methodology = "JCM_XX_AM001";
  r.methodology_version = "01.0";
  r.project = "P-1";
  r.rounding = "floor";
  r.inputs = {{"project", "p.yaml", "cc33"}};
  r.rows = {3, 3, 0, 0, 1};
  SliceResult p;
  p.period = "P1";
  p.from = "2017-01-01";
  p.to = "2017-12-31";
  p.records = 3;
  p.reference = 797;
  p.project = 0;
  p.reductions = 797;
  p.reductions_15 = 797;
  p.credited = 797;
  p.values = {{"EF", 0.797, "tCO2/MWh", ""}, {"case", 0, "", "captive"}};
  r.periods = {p};
  return r;
}

} // namespace

TEST_SUITE("render") {

  TEST_CASE("format_number: prints the shortest text that reads back as the same double") {
    CHECK(format_number(0.797) == "0.797");
    CHECK(format_number(797) == "797");
    CHECK(format_number(435.0) == "435");
    CHECK(format_number(1234567.5) == "1234567.5");
    CHECK(format_number(-12.5) == "-12.5");
    CHECK(format_number(0.1 + 0.2) == "0.30000000000000004");
    CHECK(format_number(4.35 * 100) == "434.99999999999994");
  }

  TEST_CASE("format_number: zero has no sign") {
    CHECK(format_number(0.0) == "0");
    CHECK(format_number(-0.0) == "0");
  }

  TEST_CASE("format_number: fixed notation from 1e-4 up to 1e15, scientific beyond") {
    CHECK(format_number(1e-4) == "0.0001");
    CHECK(format_number(999999999999999) == "999999999999999");
    CHECK(format_number(1e-6) == "1e-06");
    CHECK(format_number(9.99e-5) == "9.99e-05");
    CHECK(format_number(1e15) == "1e+15");
    CHECK(format_number(-2.5e20) == "-2.5e+20");
  }

  TEST_CASE("format_number: non-finite values are spelled out") {
    CHECK(format_number(std::numeric_limits<double>::infinity()) == "inf");
    CHECK(format_number(-std::numeric_limits<double>::infinity()) == "-inf");
    CHECK(format_number(std::numeric_limits<double>::quiet_NaN()) == "nan");
  }

  TEST_CASE("json_escape: escapes quotes, backslashes and control characters") {
    CHECK(json_escape("plain") == "plain");
    CHECK(json_escape("say \"hi\"") == "say \\\"hi\\\"");
    CHECK(json_escape("a\\b") == "a\\\\b");
    CHECK(json_escape("tab\there\nline\r") == "tab\\there\\nline\\r");
    CHECK(json_escape("\b\f") == "\\b\\f");
    CHECK(json_escape(std::string_view("\x01\x1f\0", 3)) == "\\u0001\\u001f\\u0000");
  }

  TEST_CASE("json_escape: keeps UTF-8 and replaces bytes that are not UTF-8") {
    CHECK(json_escape("発電量 kWh") == "発電量 kWh");
    CHECK(json_escape("\xff") == "\\ufffd");
    CHECK(json_escape("a\xe7\x99z") == "a\\ufffd\\ufffdz"); // a truncated sequence
    CHECK(json_escape("\xc0\xaf") == "\\ufffd\\ufffd");     // an overlong '/'
  }

  TEST_CASE("csv_field: leaves plain text alone") {
    CHECK(csv_field("PV-A", ',') == "PV-A");
    CHECK(csv_field("", ',') == "");
    CHECK(csv_field("a;b", ',') == "a;b");
  }

  TEST_CASE("csv_field: quotes a delimiter, a quote or a line break and doubles quotes") {
    CHECK(csv_field("a,b", ',') == "\"a,b\"");
    CHECK(csv_field("a\tb", '\t') == "\"a\tb\"");
    CHECK(csv_field("a\tb", ',') == "a\tb");
    CHECK(csv_field("say \"hi\"", ',') == "\"say \"\"hi\"\"\"");
    CHECK(csv_field("two\nlines", ',') == "\"two\nlines\"");
    CHECK(csv_field("cr\r", ',') == "\"cr\r\"");
  }

  TEST_CASE("csv_field: a text a spreadsheet would evaluate gets a leading apostrophe") {
    CHECK(csv_field("=SUM(A1:A9)", ',') == "'=SUM(A1:A9)");
    CHECK(csv_field("+1", ',') == "'+1");
    CHECK(csv_field("-unit", ',') == "'-unit");
    CHECK(csv_field("@cmd", ',') == "'@cmd");
    CHECK(csv_field("\tx", ',') == "'\tx");
    CHECK(csv_field("=HYPERLINK(\"x\",\"y\")", ',') == "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
    CHECK(csv_field("\rx", ',') == "\"'\rx\"");
    CHECK(csv_field("a=b", ',') == "a=b");
  }

  TEST_CASE("parse_format: knows every format by its name and nothing else") {
    for (Format f :
         {Format::csv, Format::tsv, Format::json, Format::jsonl, Format::table, Format::md})
      CHECK(parse_format(format_name(f)) == f);
    CHECK_FALSE(parse_format("xml"));
    CHECK_FALSE(parse_format("CSV"));
    CHECK_FALSE(parse_format(""));
  }

  TEST_CASE("render_calc csv: each period, its months, its units, then each month's units") {
    CHECK(render_calc(sample_result(), Format::csv) ==
          "period,month,unit,from,to,records,RE,PE,ER,credited\n"
          "P1,,,2017-01-01,2017-02-28,6,4.35,0.25,4.1,4\n"
          "P1,2017-01,,2017-01-01,2017-01-31,4,3,0.25,2.75,\n"
          "P1,2017-02,,2017-02-01,2017-02-28,2,1.35,0,1.35,\n"
          "P1,,A,2017-01-01,2017-02-28,4,3,0.25,2.75,\n"
          "P1,,B,2017-01-01,2017-02-28,2,1.35,0,1.35,\n"
          "P1,2017-01,A,2017-01-01,2017-01-31,4,3,0.25,2.75,\n"
          "P1,2017-02,B,2017-02-01,2017-02-28,2,1.35,0,1.35,\n"
          "P2,,,2017-03-01,2017-03-31,2,0.5,1,-0.5,0\n");
  }

  TEST_CASE("render_calc csv and jsonl: with years, a year column; years come before months") {
    CalcResult r = sample_result();
    SliceResult year = r.periods[0];
    year.year = "2017";
    year.credited.reset();
    year.units = {};
    r.years = {year};
    r.periods[0].units = {};
    r.months = {r.months[0]};
    r.months[0].units = {};
    r.periods.pop_back();
    CHECK(render_calc(r, Format::csv) ==
          "period,year,month,unit,from,to,records,RE,PE,ER,credited\n"
          "P1,,,,2017-01-01,2017-02-28,6,4.35,0.25,4.1,4\n"
          "P1,2017,,,2017-01-01,2017-02-28,6,4.35,0.25,4.1,\n"
          "P1,,2017-01,,2017-01-01,2017-01-31,4,3,0.25,2.75,\n");
    const std::string jsonl = render_calc(r, Format::jsonl);
    CHECK(jsonl.find(R"({"period":"P1","year":"2017","month":null,"unit":null,)") !=
          std::string::npos);
    CHECK(render_calc(r, Format::json).find(R"("years": [
        {
          "year": "2017",
          "from": "2017-01-01",)") != std::string::npos);
    // Without years the columns stay where they were.
    CHECK(render_calc(small_result(), Format::jsonl).find("\"year\"") == std::string::npos);
  }

  TEST_CASE("render_calc tsv: the csv rows with tabs") {
    const std::string tsv = render_calc(small_result(), Format::tsv);
    CHECK(tsv == "period\tmonth\tunit\tfrom\tto\trecords\tRE\tPE\tER\tcredited\n"
                 "P1\t\t\t2017-01-01\t2017-12-31\t3\t797\t0\t797\t797\n");
  }

  TEST_CASE("render_calc csv: texts from the inputs are quoted and guarded") {
    CalcResult r = small_result();
    r.periods[0].period = "=cmd";
    UnitResult unit;
    unit.unit = "roof, east";
    r.periods[0].units = {unit};
    CHECK(render_calc(r, Format::csv) == "period,month,unit,from,to,records,RE,PE,ER,credited\n"
                                         "'=cmd,,,2017-01-01,2017-12-31,3,797,0,797,797\n"
                                         "'=cmd,,\"roof, east\",2017-01-01,2017-12-31,0,0,0,0,\n");
  }

  TEST_CASE("render_calc json: the whole document of a small result") {
    CHECK(render_calc(small_result(), Format::json) == R"({
  "format": "mrv.calc/1",
  "mrv_version": "0.1.0",
  "methodology": {
    "id": "JCM_XX_AM001",
    "version": "01.0"
  },
  "project": "P-1",
  "rounding": "floor",
  "inputs": [
    {
      "role": "project",
      "path": "p.yaml",
      "sha256": "cc33"
    }
  ],
  "rows": {
    "read": 3,
    "used": 3,
    "outside_periods": 0,
    "blank_lines": 0,
    "missing_values": 1,
    "duplicates": 0
  },
  "treatments": [],
  "periods": [
    {
      "id": "P1",
      "from": "2017-01-01",
      "to": "2017-12-31",
      "records": 3,
      "RE": 797,
      "PE": 0,
      "ER": 797,
      "ER_15": 797,
      "credited": 797,
      "unconfirmed_count": 0,
      "unconfirmed": [],
      "values": {
        "EF": {
          "value": 0.797,
          "unit": "tCO2/MWh"
        },
        "case": {
          "value": "captive"
        }
      },
      "years": [],
      "months": [],
      "units": []
    }
  ],
  "warnings": [],
  "notes": []
}
)");
  }

  TEST_CASE("render_calc json: months sit inside their period, units inside their slice") {
    const std::string json = render_calc(sample_result(), Format::json);
    CHECK(json.find(R"(      "months": [
        {
          "month": "2017-01",
          "from": "2017-01-01",
          "to": "2017-01-31",
          "records": 4,
          "RE": 3,
          "PE": 0.25,
          "ER": 2.75,
          "ER_15": 2.75,
          "values": {},
          "units": [
            {
              "id": "A",
              "records": 4,
              "RE": 3,
              "PE": 0.25,
              "ER": 2.75,
              "values": {}
            }
          ]
        },
        {
          "month": "2017-02",)") != std::string::npos);
    CHECK(json.find(R"(      "units": [
        {
          "id": "A",
          "records": 4,
          "RE": 3,
          "PE": 0.25,
          "ER": 2.75,
          "values": {
            "EG_i_p": {
              "value": 3,
              "unit": "MWh"
            }
          }
        },)") != std::string::npos);
    CHECK(json.find(R"("grid": {
          "value": "national_grid"
        })") != std::string::npos);
    CHECK(json.find(R"(      "id": "P2",)") != std::string::npos);
    CHECK(json.find(R"("credited": 0,)") != std::string::npos);
    CHECK(json.ends_with("  \"notes\": [\n    \"P2: negative ER credited as 0\"\n  ]\n}\n"));
  }

  TEST_CASE("render_calc json: a period without a credited amount has null") {
    CalcResult r = small_result();
    r.periods[0].credited.reset();
    CHECK(render_calc(r, Format::json).find("\"credited\": null,") != std::string::npos);
  }

  TEST_CASE("render_calc jsonl: one compact object per csv row, null where csv is empty") {
    const std::string jsonl = render_calc(sample_result(), Format::jsonl);
    const std::string first_three =
        R"({"period":"P1","month":null,"unit":null,"from":"2017-01-01","to":"2017-02-28","records":6,"RE":4.35,"PE":0.25,"ER":4.1,"credited":4,"unconfirmed":[]}
{"period":"P1","month":"2017-01","unit":null,"from":"2017-01-01","to":"2017-01-31","records":4,"RE":3,"PE":0.25,"ER":2.75,"credited":null,"unconfirmed":null}
{"period":"P1","month":"2017-02","unit":null,"from":"2017-02-01","to":"2017-02-28","records":2,"RE":1.35,"PE":0,"ER":1.35,"credited":null,"unconfirmed":null}
)";
    CHECK(jsonl.starts_with(first_three));
    CHECK(jsonl.ends_with(
        R"({"period":"P2","month":null,"unit":null,"from":"2017-03-01","to":"2017-03-31","records":2,"RE":0.5,"PE":1,"ER":-0.5,"credited":0,"unconfirmed":[]}
)"));
    std::size_t lines = 0;
    for (char c : jsonl)
      lines += c == '\n';
    CHECK(lines == 8);
  }

  TEST_CASE("render_calc md: a Markdown table, the row account and the notes") {
    // tCO2 at the default presentation precision, 3 decimals.
    CHECK(
        render_calc(sample_result(), Format::md) ==
        "| period | month   | unit | from       | to         | records |    RE |    PE |     ER | "
        "credited |\n"
        "| ------ | ------- | ---- | ---------- | ---------- | ------: | ----: | ----: | -----: | "
        "-------: |\n"
        "| P1     |         |      | 2017-01-01 | 2017-02-28 |       6 | 4.350 | 0.250 |  4.100 | "
        "       4 |\n"
        "| P1     | 2017-01 |      | 2017-01-01 | 2017-01-31 |       4 | 3.000 | 0.250 |  2.750 | "
        "         |\n"
        "| P1     | 2017-02 |      | 2017-02-01 | 2017-02-28 |       2 | 1.350 | 0.000 |  1.350 | "
        "         |\n"
        "| P1     |         | A    | 2017-01-01 | 2017-02-28 |       4 | 3.000 | 0.250 |  2.750 | "
        "         |\n"
        "| P1     |         | B    | 2017-01-01 | 2017-02-28 |       2 | 1.350 | 0.000 |  1.350 | "
        "         |\n"
        "| P1     | 2017-01 | A    | 2017-01-01 | 2017-01-31 |       4 | 3.000 | 0.250 |  2.750 | "
        "         |\n"
        "| P1     | 2017-02 | B    | 2017-02-01 | 2017-02-28 |       2 | 1.350 | 0.000 |  1.350 | "
        "         |\n"
        "| P2     |         |      | 2017-03-01 | 2017-03-31 |       2 | 0.500 | 1.000 | -0.500 | "
        "       0 |\n"
        "\n"
        "- rows: 10 read, 8 used, 1 outside periods, 1 blank, 0 missing values, 0 duplicates\n"
        "- note: P2: negative ER credited as 0\n");
  }

  TEST_CASE("render_calc md: a | in a text is escaped") {
    CalcResult r = small_result();
    r.periods[0].period = "a|b";
    CHECK(render_calc(r, Format::md).find("| a\\|b   |") != std::string::npos);
  }

  TEST_CASE("render_calc table: aligned columns, numbers on the right, no trailing blanks") {
    CHECK(
        render_calc(small_result(), Format::table) ==
        "period  month  unit  from        to          records       RE     PE       ER  credited\n"
        "P1                   2017-01-01  2017-12-31        3  797.000  0.000  797.000       797\n"
        "\n"
        "rows: 3 read, 3 used, 0 outside periods, 0 blank, 1 missing values, 0 duplicates\n");
  }

  TEST_CASE("render_calc table: a wide character takes two columns") {
    CalcResult r = small_result();
    r.periods[0].period = "第1期";
    const std::string table = render_calc(r, Format::table);
    CHECK(table.starts_with("period  month"));
    CHECK(table.find("\n第1期                ") != std::string::npos);
  }

  TEST_CASE("render_methodology_list: csv and json list id, version, family, countries, title") {
    Methodology a;
    a.id = "JCM_XX_AM001";
    a.version = "01.0";
    a.family = "solar-pv";
    a.countries = {"MN", "VN"};
    a.title = "Solar, on roofs";
    CHECK(render_methodology_list({a}, Format::csv) ==
          "id,version,family,countries,title\n"
          "JCM_XX_AM001,01.0,solar-pv,MN;VN,\"Solar, on roofs\"\n");
    CHECK(
        render_methodology_list({a}, Format::jsonl) ==
        R"({"id":"JCM_XX_AM001","version":"01.0","family":"solar-pv","countries":["MN","VN"],"title":"Solar, on roofs"})"
        "\n");
    CHECK(render_methodology_list({}, Format::json) ==
          "{\n  \"format\": \"mrv.methodology-list/1\",\n  \"methodologies\": []\n}\n");
  }

  TEST_CASE("render_methodology: a key parameter shows its values instead of a unit") {
    Methodology m;
    m.id = "JCM_XX_AM001";
    m.version = "01.0";
    Parameter p;
    p.id = "case_i";
    p.symbol = "case_i";
    p.kind = ParameterKind::ex_ante;
    p.level = Level::unit;
    p.is_key = true;
    p.key_values = {"grid", "captive"};
    p.description = "How unit i is connected";
    p.source.document = "JCM_XX_AM001_ver01.0";
    p.source.section = "Table 1";
    p.source.confirmed = true;
    m.parameters = {p};
    const std::string csv = render_methodology(m, Format::csv);
    CHECK(csv.starts_with("id,symbol,kind,level,unit,option,description,source,confirmed\n"));
    CHECK(csv.find(",unit,\"one of grid, captive\",,How unit i is connected,"
                   "\"JCM_XX_AM001_ver01.0, Table 1\",yes\n") != std::string::npos);
    const std::string json = render_methodology(m, Format::json);
    CHECK(
        json.starts_with("{\n  \"format\": \"mrv.methodology/1\",\n  \"id\": \"JCM_XX_AM001\",\n"));
    CHECK(json.find("\"unit\": null,\n      \"key_values\": [\n        \"grid\",\n"
                    "        \"captive\"\n      ],") != std::string::npos);
    CHECK(json.find("\"equations\": [],") != std::string::npos);
  }
}
