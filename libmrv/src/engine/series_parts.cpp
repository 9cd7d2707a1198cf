// One file read on several cores: each part is read into a twin of the
// Aggregation, then the parts are added to it in file order, exactly as one
// pass over the file would have added their rows, or not at all.
//
// What makes a part depend on the rows before it, and how each is settled:
// - the interval inferred from the file's first rows: the first part infers
//   it, the others are read with it assumed, and the two must agree;
// - a repeat across the cut (an interval with a row in two parts): one pass
//   would compare the rows, so the parts are refused (read in one pass);
// - the order of the values (first, last, whether they ever fell, the
//   largest): merged in order, with their line numbers moved;
// - sums: exact decimal sums add exactly; a sum of values that were not
//   plain decimals is exact only when one part has such values;
// - registers, per-record equations, daily series, repeats by equal time
//   (no interval): not split (`splittable` is false).
#include "engine/series.hpp"
#include "engine/series_state.hpp"

#include <unordered_set>

namespace mrv::detail {

namespace {

void merge_unit(UnitState& into, const UnitState& later, std::int64_t line_delta,
                std::size_t& allocated) {
  into.seen.merge(later.seen, allocated);
  into.recent.merge_later(later.recent, line_delta);
  if (later.last_slot >= 0) {
    into.last_instant = later.last_instant;
    into.last_slot = later.last_slot;
  }
  for (std::size_t k = 0; k < into.extremes.size(); ++k)
    into.extremes[k].merge_later(later.extremes[k], line_delta);
  into.has_rows = into.has_rows || later.has_rows;
}

} // namespace

std::unique_ptr<Aggregation> Aggregation::part_twin() const {
  auto twin = std::make_unique<Aggregation>(m_, project_, bound_);
  twin->files_ = files_;
  return twin;
}

bool Aggregation::splittable(std::size_t source) const {
  const SourceState* s = sources_[source].get();
  return s && s->lean && !s->inferring && s->interval.seconds > 0 && !s->any_cumulative &&
         !s->has_record_equations && !s->check_decimals && s->equal_times == 0 &&
         s->pending.empty() && !days_kept_;
}

const SourceInterval* Aggregation::interval_read(std::size_t source) const {
  const SourceState* s = sources_[source].get();
  return s && !s->inferring ? &s->interval : nullptr;
}

bool Aggregation::parts_absorbable(std::size_t source,
                                   const std::vector<std::unique_ptr<Aggregation>>& parts) const {
  if (sources_[source] || parts.empty()) return false;
  const std::int64_t interval =
      parts.front()->sources_[source] ? parts.front()->sources_[source]->interval.seconds : 0;
  for (const auto& part : parts)
    if (!part->splittable(source) || part->sources_[source]->interval.seconds != interval)
      return false;
  // No interval of a unit has rows in two parts, and the interval bits of
  // them all stay within the limit one pass has.
  std::size_t blocks = interval_blocks_;
  for (std::size_t u = 0; u < width_; ++u) {
    std::unordered_set<std::int64_t> numbers;
    for (std::size_t k = 0; k < parts.size(); ++k) {
      const SeenIntervals& seen = parts[k]->sources_[source]->units[u].seen;
      for (std::size_t j = 0; j < k; ++j)
        if (parts[j]->sources_[source]->units[u].seen.overlaps(seen)) return false;
      for (std::int64_t n : seen.block_numbers())
        numbers.insert(n);
    }
    blocks += numbers.size();
  }
  if (blocks > kMaxIntervalBlocks) return false;
  // A sum of values that were not plain decimals, in two places, would be
  // summed in another order than one pass sums it.
  for (std::size_t i = 0; i < accumulators_.size(); ++i) {
    int inexact = accumulators_[i].inexact > 0 ? 1 : 0;
    for (const auto& part : parts) {
      inexact += part->accumulators_[i].inexact > 0 ? 1 : 0;
      if (!part->quality_[i].mergeable()) return false;
    }
    if (inexact > 1) return false;
  }
  return true;
}

void Aggregation::absorb(std::size_t source, Aggregation& part, std::int64_t line_delta) {
  for (std::size_t i = 0; i < accumulators_.size(); ++i) {
    accumulators_[i].merge(part.accumulators_[i]);
    quality_[i].merge_later(part.quality_[i], line_delta);
  }
  for (std::size_t i = 0; i < records_.size(); ++i) {
    records_[i] += part.records_[i];
    duplicates_[i].merge(part.duplicates_[i].moved(line_delta));
  }
  SourceState& later = *part.sources_[source];
  if (!sources_[source]) { // the first part: its lines are the file's
    sources_[source] = std::move(part.sources_[source]);
    interval_blocks_ += part.interval_blocks_;
    return;
  }
  SourceState& into = *sources_[source];
  for (std::size_t u = 0; u < into.units.size(); ++u)
    merge_unit(into.units[u], later.units[u], line_delta, interval_blocks_);
}

bool Aggregation::absorb_parts(std::size_t source, std::vector<std::unique_ptr<Aggregation>>& parts,
                               const std::vector<std::int64_t>& line_deltas) {
  if (!parts_absorbable(source, parts)) return false;
  for (std::size_t k = 0; k < parts.size(); ++k)
    absorb(source, *parts[k], line_deltas[k]);
  files_.push_back(parts.front()->files_.back());
  return true;
}

} // namespace mrv::detail
