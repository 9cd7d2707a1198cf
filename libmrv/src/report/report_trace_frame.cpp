// Fills each level's slots from the trace: a parameter's value goes where
// the compiled methodology stores it; a key's value is its index.
#include "report/report_trace_frame.hpp"

#include "model/compiled_methodology.hpp"

#include <algorithm>
#include <cmath>

namespace mrv::detail {

namespace {

double stored_value(const Parameter& p, const TraceValue& t) {
  if (!p.is_key) return t.value;
  const auto it = std::find(p.key_values.begin(), p.key_values.end(), t.text);
  return it == p.key_values.end() ? std::nan("") : static_cast<double>(it - p.key_values.begin());
}

// The position of a traced value's index value (0 without an index), or -1.
int index_position(const Methodology& m, const Parameter& p, const TraceValue& t) {
  if (p.index < 0) return 0;
  const std::vector<std::string>& values = m.indices[static_cast<std::size_t>(p.index)].values;
  const auto it = std::find(values.begin(), values.end(), t.index);
  return it == values.end() ? -1 : static_cast<int>(it - values.begin());
}

} // namespace

TraceFrame::TraceFrame(const Methodology& m, const SliceResult& period) {
  const CompiledMethodology& c = *m.compiled;
  const std::size_t unit_count = period.units.size();
  unit_stride_ = static_cast<std::size_t>(c.unit_slots);
  unit_period_stride_ = static_cast<std::size_t>(c.unit_period_slots);
  project_.assign(static_cast<std::size_t>(c.project_slots), std::nan(""));
  period_.assign(static_cast<std::size_t>(c.period_slots), std::nan(""));
  units_.assign(unit_count * unit_stride_, std::nan(""));
  unit_period_.assign(unit_count * unit_period_stride_, std::nan(""));
  for (std::size_t u = 0; u < unit_count; ++u)
    all_units_.push_back(static_cast<int>(u));
  index_values_.resize(m.indices.size());

  const auto store = [&](const TraceValue& t, int unit) {
    const Parameter* p = m.parameter(t.parameter);
    if (!p) return;
    const CompiledParameter& cp = c.parameters[static_cast<std::size_t>(p - m.parameters.data())];
    const int position = index_position(m, *p, t);
    if (cp.slot < 0 || position < 0) return;
    if (p->index >= 0) {
      std::vector<int>& seen = index_values_[static_cast<std::size_t>(p->index)];
      if (std::find(seen.begin(), seen.end(), position) == seen.end()) seen.push_back(position);
    }
    const std::size_t slot = static_cast<std::size_t>(cp.slot + position);
    const std::size_t u = static_cast<std::size_t>(std::max(unit, 0));
    const double value = stored_value(*p, t);
    switch (cp.level) {
    case Level::project:
      project_[slot] = value;
      break;
    case Level::period:
      period_[slot] = value;
      break;
    case Level::unit:
      if (unit >= 0) units_[u * unit_stride_ + slot] = value;
      break;
    case Level::unit_period:
      if (unit >= 0) unit_period_[u * unit_period_stride_ + slot] = value;
      break;
    case Level::record:
      break;
    }
  };
  for (const TraceValue& t : period.values)
    store(t, -1);
  for (std::size_t u = 0; u < unit_count; ++u)
    for (const TraceValue& t : period.units[u].values)
      store(t, static_cast<int>(u));
  for (std::vector<int>& values : index_values_)
    std::sort(values.begin(), values.end());
}

double TraceFrame::evaluate(const Expr& expr, int unit,
                            const std::array<int, max_indices>* index) const {
  EvalFrame frame;
  if (index)
    for (std::size_t k = 0; k < frame.index.size(); ++k)
      frame.index[k] = std::max((*index)[k], 0); // an index not set is never read
  frame.index_values = &index_values_;
  frame.project = project_.data();
  frame.units = units_.data();
  frame.unit_stride = unit_stride_;
  frame.unit_period = unit_period_.data();
  frame.unit_period_stride = unit_period_stride_;
  frame.period = period_.data();
  frame.unit = unit;
  frame.sum_units = all_units_.data();
  frame.sum_unit_count = all_units_.size();
  return evaluate_scalar(expr, frame);
}

} // namespace mrv::detail
