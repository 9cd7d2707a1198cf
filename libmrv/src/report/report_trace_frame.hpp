// The engine's storage for one period, rebuilt from a calc result's trace
// (by unit), so that any compiled sub-expression can be evaluated exactly as
// the engine evaluated it: the xlsx report places the value of each table
// look-up in its input sheet this way.
#pragma once

#include "model/formula.hpp"
#include "mrv/calc.hpp"
#include "mrv/methodology.hpp"

#include <vector>

namespace mrv::detail {

class TraceFrame {
public:
  TraceFrame(const Methodology& methodology, const SliceResult& period);
  // `expr` for unit `unit` (an index into period.units; -1 outside a unit),
  // and the index values in `index` (-1 each where none).
  double evaluate(const Expr& expr, int unit,
                  const std::array<int, max_indices>* index = nullptr) const;
  // Per methodology index, the values the trace has values for, in order.
  const std::vector<std::vector<int>>& index_values() const { return index_values_; }

private:
  std::vector<double> project_, units_, unit_period_, period_;
  std::size_t unit_stride_ = 0, unit_period_stride_ = 0;
  std::vector<int> all_units_;
  std::vector<std::vector<int>> index_values_;
};

} // namespace mrv::detail
