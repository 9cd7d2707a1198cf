// Running a manifest: each entry loaded, calculated and compared on a pool
// of worker threads, each in isolation (whatever goes wrong becomes error
// verdicts of that entry alone), and the outcomes handed back in manifest
// order on the calling thread, so the output is the same for any -j.
#include "mrv/verify.hpp"

#include "mrv/credit_uses.hpp"
#include "mrv/project.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <system_error>
#include <thread>

namespace mrv {

struct MethodologyCache::Impl {
  std::mutex mutex;
  // unique_ptr: the references handed out stay valid as the map grows.
  std::map<std::string, std::unique_ptr<const Expected<Methodology>>> loaded;
};

MethodologyCache::MethodologyCache() : impl_(std::make_unique<Impl>()) {}
MethodologyCache::~MethodologyCache() = default;

const Expected<Methodology>& MethodologyCache::get(const std::string& id_or_path) {
  // Loading under the lock is fine: a run uses a handful of methodologies,
  // each loaded in milliseconds, and a second worker must wait for the first
  // load anyway.
  const std::lock_guard<std::mutex> lock(impl_->mutex);
  auto& slot = impl_->loaded[id_or_path];
  if (!slot) slot = std::make_unique<const Expected<Methodology>>(find_methodology(id_or_path));
  return *slot;
}

namespace {

std::vector<PeriodVerdict> verdicts_of(const ManifestProject& entry, const Project& project,
                                       const CalcResult& result, const Methodology& methodology) {
  // The manifest's allocation terms stand; without them, the project's own
  // credit terms split the credits, as `mrv allocate PROJECT` does.
  if (!entry.allocation && project.credit_terms) {
    ManifestProject with_terms = entry;
    with_terms.allocation = project.credit_terms->request;
    return compare_claims(with_terms, result, methodology);
  }
  return compare_claims(entry, result, methodology);
}

ProjectOutcome verify_or_throw(const ManifestProject& entry, MethodologyCache& methodologies) {
  ProjectOutcome outcome;
  PeriodVerdict partial; // what is known when a step fails
  partial.mrv_version = mrv_version();
  const Expected<Project> project = load_project_file(entry.project_file);
  if (!project) {
    outcome.verdicts = error_verdicts(entry, partial, project.error());
    return outcome;
  }
  partial.project = project->id;
  const InputFile project_input{"project", project->file, project->sha256};
  const Expected<Methodology>& methodology = methodologies.get(project->methodology);
  if (!methodology) {
    partial.inputs = {project_input};
    outcome.verdicts = error_verdicts(entry, partial, methodology.error());
    return outcome;
  }
  partial.methodology = methodology->id;
  partial.methodology_version = methodology->version;
  for (const Table& table : methodology->tables)
    if (!table.version.empty()) partial.tables.emplace_back(table.id, table.version);
  partial.inputs = methodology_inputs(*methodology);
  partial.inputs.push_back(project_input);
  CalcOptions options;
  options.data_files = entry.data_files;
  const Expected<CalcResult> result = calculate(*methodology, *project, options);
  if (!result) {
    outcome.verdicts = error_verdicts(entry, partial, result.error());
    return outcome;
  }
  outcome.rows = result->rows.read;
  const Expected<std::vector<UseRules>> rules = rules_for_project(*project);
  if (!rules) {
    outcome.verdicts = error_verdicts(entry, partial, rules.error());
    return outcome;
  }
  const std::vector<UseAssessment> uses = assess_uses(*project, *rules);
  outcome.verdicts = verdicts_of(entry, *project, *result, *methodology);
  for (PeriodVerdict& v : outcome.verdicts)
    for (const UseAssessment& a : uses)
      if (a.period == v.period && v.status != VerifyStatus::error) v.uses.push_back(a.statement);
  return outcome;
}

} // namespace

ProjectOutcome verify_project(const ManifestProject& entry, MethodologyCache& methodologies) {
  // No exception crosses the library's API, but one entry running out of
  // memory must not take the others down with it.
  Diagnostic internal;
  internal.code = ExitCode::internal;
  try {
    return verify_or_throw(entry, methodologies);
  } catch (const std::exception& e) {
    internal.message = std::string("internal error: ") + e.what();
  } catch (...) {
    internal.message = "internal error: unknown exception";
  }
  PeriodVerdict partial;
  partial.mrv_version = mrv_version();
  return {error_verdicts(entry, partial, internal), 0};
}

void verify_entries(const std::vector<const ManifestProject*>& entries,
                    const VerifyRunOptions& options) {
  const std::size_t total = entries.size();
  if (total == 0) return;
  MethodologyCache methodologies;
  std::mutex mutex;
  std::condition_variable finished_one;
  std::vector<std::optional<ProjectOutcome>> outcomes(total); // guarded by mutex
  VerifyProgress progress{0, total, 0};                       // guarded by mutex
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};

  auto work = [&] {
    while (!stop.load()) {
      const std::size_t i = next.fetch_add(1);
      if (i >= total) return;
      ProjectOutcome outcome = verify_project(*entries[i], methodologies);
      {
        const std::lock_guard<std::mutex> lock(mutex);
        ++progress.done;
        progress.rows += outcome.rows;
        outcomes[i] = std::move(outcome);
      }
      finished_one.notify_one();
    }
  };
  const std::size_t jobs = std::clamp<std::size_t>(options.jobs, 1, total);
  std::vector<std::thread> workers;
  try {
    for (std::size_t j = 0; j < jobs; ++j)
      workers.emplace_back(work);
  } catch (const std::system_error&) {
    if (workers.empty()) throw; // no thread at all: nothing to wait for
  }

  // Hand the outcomes over in order; wake up now and then for the progress.
  std::size_t delivered = 0;
  std::unique_lock<std::mutex> lock(mutex);
  while (delivered < total) {
    finished_one.wait_for(lock, std::chrono::milliseconds(250));
    while (delivered < total && outcomes[delivered]) {
      ProjectOutcome outcome = std::move(*outcomes[delivered]);
      outcomes[delivered].reset();
      lock.unlock();
      const bool go_on = !options.deliver || options.deliver(delivered, std::move(outcome));
      lock.lock();
      ++delivered;
      if (!go_on) {
        stop = true;
        delivered = total;
      }
    }
    const VerifyProgress now = progress;
    lock.unlock();
    if (options.progress) options.progress(now);
    lock.lock();
  }
  stop = true;
  lock.unlock();
  for (std::thread& worker : workers)
    worker.join();
}

} // namespace mrv
