#include "mrv/render_verify.hpp"
#include "mrv/verify.hpp"

#include <doctest/doctest.h>

#include <fmt/format.h>

#include <string>

using namespace mrv;

namespace {

// The bundled examples, several times over, with one entry that fails.
Manifest examples_manifest() {
  std::string text = "mrv: verify/1\nprojects:\n";
  for (int copy = 0; copy < 4; ++copy) {
    text += fmt::format("  - id: MN-{0}\n    project: examples/mn-pv/project.yaml\n"
                        "    claims: [{{period: MP1, credited: 8165}}, {{period: MP2, credited: "
                        "3530}}]\n",
                        copy);
    text += fmt::format("  - id: MISSING-{0}\n    project: examples/missing/project.yaml\n"
                        "    claims: [{{period: MP1, credited: 1}}]\n",
                        copy);
    text += fmt::format("  - id: ID-{0}\n    project: examples/id-pv/project.yaml\n"
                        "    claims: [{{period: \"2019\", credited: 1335}}]\n",
                        copy);
  }
  Expected<Manifest> m = load_manifest(text, std::string(MRV_SOURCE_DIR) + "/manifest.yaml");
  REQUIRE(m.has_value());
  return *m;
}

std::vector<const ManifestProject*> all(const Manifest& m) {
  std::vector<const ManifestProject*> out;
  for (const ManifestProject& p : m.projects)
    out.push_back(&p);
  return out;
}

// The output of a run, as text, with the order in which entries arrived.
std::string run_with(const Manifest& m, unsigned jobs, std::vector<std::size_t>* order = nullptr) {
  std::string out;
  VerifyRunOptions options;
  options.jobs = jobs;
  options.deliver = [&](std::size_t index, ProjectOutcome&& outcome) {
    if (order) order->push_back(index);
    for (const PeriodVerdict& v : outcome.verdicts)
      out += render_verdict_line(v);
    return true;
  };
  verify_entries(all(m), options);
  return out;
}

} // namespace

TEST_SUITE("verify_run") {
  TEST_CASE("verify_run: the output is the same whatever the number of workers") {
    const Manifest m = examples_manifest();
    std::vector<std::size_t> order;
    const std::string one = run_with(m, 1);
    const std::string four = run_with(m, 4, &order);
    CHECK(one == four);
    CHECK(run_with(m, 64) == one); // more workers than entries
    for (std::size_t i = 0; i < order.size(); ++i)
      CHECK(order[i] == i);
    CHECK(order.size() == m.projects.size());
  }

  TEST_CASE("verify_run: a failing entry does not stop the others") {
    const Manifest m = examples_manifest();
    const std::string out = run_with(m, 3);
    VerifyCounts counts;
    std::size_t start = 0;
    while (start < out.size()) {
      const std::size_t end = out.find('\n', start);
      Expected<PeriodVerdict> v = parse_verdict_line(out.substr(start, end - start), "out", 1);
      REQUIRE(v.has_value());
      counts.add(*v);
      if (v->id.starts_with("MISSING")) CHECK(v->error.find("cannot open") != std::string::npos);
      start = end + 1;
    }
    CHECK(counts.lines == 16);
    CHECK(counts.match == 8);    // MP1 and 2019 of each copy
    CHECK(counts.mismatch == 4); // MP2 claims 3530, computes 3529
    CHECK(counts.error == 4);
  }

  TEST_CASE("verify_run: refusing a delivery stops the run early") {
    const Manifest m = examples_manifest();
    std::size_t delivered = 0;
    VerifyRunOptions options;
    options.jobs = 2;
    options.deliver = [&](std::size_t, ProjectOutcome&&) { return ++delivered < 2; };
    verify_entries(all(m), options);
    CHECK(delivered == 2);
  }

  TEST_CASE("verify_run: progress counts every entry and the rows read") {
    const Manifest m = examples_manifest();
    VerifyProgress last;
    VerifyRunOptions options;
    options.jobs = 2;
    options.progress = [&](const VerifyProgress& p) { last = p; };
    verify_entries(all(m), options);
    CHECK(last.done == m.projects.size());
    CHECK(last.total == m.projects.size());
    CHECK(last.rows > 0);
  }

  TEST_CASE("verify_run: an empty share runs nothing") {
    bool called = false;
    VerifyRunOptions options;
    options.deliver = [&](std::size_t, ProjectOutcome&&) { return called = true; };
    verify_entries({}, options);
    CHECK_FALSE(called);
  }
}
