// Evaluates compiled formulas over batches of rows: each node computes its
// whole batch before its parent, so the interpretation cost is paid once per
// batch rather than once per row.
#include "model/formula.hpp"

#include <cmath>
#include <cstring>

namespace mrv::detail {
namespace {

using Op = Expr::Op;

template <class Predicate>
void compare(const double* x, const double* y, std::size_t n, double* out, Predicate predicate) {
  for (std::size_t k = 0; k < n; ++k)
    out[k] = std::isnan(x[k]) || std::isnan(y[k]) ? std::nan("")
             : predicate(x[k], y[k])              ? 1.0
                                                  : 0.0;
}

double round_to(double x, double digits) {
  double scale = std::pow(10.0, digits);
  return std::round(x * scale) / scale;
}

// Neumaier's compensated sum.
struct Sum {
  double sum = 0, compensation = 0;
  void add(double x) {
    const double t = sum + x;
    compensation += std::fabs(sum) >= std::fabs(x) ? (sum - t) + x : (x - t) + sum;
    sum = t;
  }
  double value() const { return sum + compensation; }
};

// A value read by a slot at any level but the record's: an indexed value
// lies at its slot plus the index's current value, and a period value
// inside sum_x is the period x's.
void load_indexed(const Expr& e, const EvalFrame& f, std::size_t n, double* out) {
  const std::size_t slot = static_cast<std::size_t>(
      e.slot + (e.index >= 0 ? f.index[static_cast<std::size_t>(e.index)] : 0));
  const std::size_t unit = static_cast<std::size_t>(f.unit);
  double value = std::nan("");
  switch (e.level) {
  case Level::project:
    value = f.project[slot];
    break;
  case Level::unit:
    value = f.units[unit * f.unit_stride + slot];
    break;
  case Level::unit_period:
    value = f.unit_period[unit * f.unit_period_stride + slot];
    break;
  case Level::period:
    value = (e.at_x ? f.past : f.period)[slot];
    break;
  case Level::record:
    break;
  }
  std::fill(out, out + n, value);
}

void load_parameter(const Expr& e, const EvalFrame& f, std::size_t n, double* out) {
  // Indexed values and history are never read per record: the common path
  // below stays as it was.
  if (e.index >= 0 || e.at_x) return load_indexed(e, f, n, out);
  switch (e.level) {
  case Level::project:
    std::fill(out, out + n, f.project[e.slot]);
    return;
  case Level::unit:
    if (f.record_units) {
      for (std::size_t k = 0; k < n; ++k)
        out[k] = f.units[static_cast<std::size_t>(f.record_units[k]) * f.unit_stride +
                         static_cast<std::size_t>(e.slot)];
    } else {
      std::fill(out, out + n,
                f.units[static_cast<std::size_t>(f.unit) * f.unit_stride +
                        static_cast<std::size_t>(e.slot)]);
    }
    return;
  case Level::record:
    std::memcpy(out, f.record[e.slot], n * sizeof(double));
    return;
  case Level::unit_period:
    std::fill(out, out + n,
              f.unit_period[static_cast<std::size_t>(f.unit) * f.unit_period_stride +
                            static_cast<std::size_t>(e.slot)]);
    return;
  case Level::period:
    std::fill(out, out + n, f.period[e.slot]);
    return;
  }
}

} // namespace

// The one function allowed over 120 lines: one short case per operation, so
// the evaluator reads as the grammar does (tests/structure/check_function_size.sh).
// NOLINTNEXTLINE(readability-function-size)
void evaluate(const Expr& e, const EvalFrame& f, std::size_t n, double* out) {
  switch (e.op) {
  case Op::constant:
    std::fill(out, out + n, e.value);
    return;
  case Op::parameter:
    load_parameter(e, f, n, out);
    return;
  case Op::sum_units: {
    // Neumaier's compensated sum over the frame's units.
    double sum = 0, compensation = 0;
    EvalFrame unit_frame = f;
    for (std::size_t k = 0; k < f.sum_unit_count; ++k) {
      unit_frame.unit = f.sum_units[k];
      double x = evaluate_scalar(e.args[0], unit_frame);
      double t = sum + x;
      compensation += std::fabs(sum) >= std::fabs(x) ? (sum - t) + x : (x - t) + sum;
      sum = t;
    }
    std::fill(out, out + n, sum + compensation);
    return;
  }
  case Op::sum_index: {
    Sum sum;
    EvalFrame frame = f;
    const auto index = static_cast<std::size_t>(e.index);
    if (f.index_values)
      for (int v : (*f.index_values)[index]) {
        frame.index[index] = v;
        sum.add(evaluate_scalar(e.args[0], frame));
      }
    std::fill(out, out + n, sum.value());
    return;
  }
  case Op::sum_periods: {
    // The earlier periods, oldest first, then the current one (age 0).
    Sum sum;
    EvalFrame frame = f;
    for (std::size_t k = 0; k <= f.past_period_count; ++k) {
      const bool current = k == f.past_period_count;
      frame.past = current ? f.period : f.past_periods[k].period;
      frame.age = current ? 0 : f.past_periods[k].age;
      sum.add(evaluate_scalar(e.args[0], frame));
    }
    std::fill(out, out + n, sum.value());
    return;
  }
  case Op::index_value:
    std::fill(out, out + n, static_cast<double>(f.index[static_cast<std::size_t>(e.index)]));
    return;
  case Op::age:
    std::fill(out, out + n, f.age);
    return;
  default:
    break;
  }

  // Operators: evaluate the arguments into scratch columns, then combine.
  std::vector<std::vector<double>> a(e.args.size(), std::vector<double>(n));
  for (std::size_t i = 0; i < e.args.size(); ++i)
    evaluate(e.args[i], f, n, a[i].data());
  const double* x = a.empty() ? nullptr : a[0].data();
  const double* y = a.size() > 1 ? a[1].data() : nullptr;
  switch (e.op) {
  case Op::negate:
    for (std::size_t k = 0; k < n; ++k)
      out[k] = -x[k];
    break;
  case Op::add:
    for (std::size_t k = 0; k < n; ++k)
      out[k] = x[k] + y[k];
    break;
  case Op::subtract:
    for (std::size_t k = 0; k < n; ++k)
      out[k] = x[k] - y[k];
    break;
  case Op::multiply:
    for (std::size_t k = 0; k < n; ++k)
      out[k] = x[k] * y[k];
    break;
  case Op::divide:
    for (std::size_t k = 0; k < n; ++k)
      out[k] = x[k] / y[k];
    break;
  case Op::power:
    for (std::size_t k = 0; k < n; ++k)
      out[k] = std::pow(x[k], y[k]);
    break;
  // A condition on a missing value (NaN) is itself missing, never false:
  // the result then stays non-finite and the caller reports it.
  case Op::less:
    compare(x, y, n, out, [](double p, double q) { return p < q; });
    break;
  case Op::less_equal:
    compare(x, y, n, out, [](double p, double q) { return p <= q; });
    break;
  case Op::greater:
    compare(x, y, n, out, [](double p, double q) { return p > q; });
    break;
  case Op::greater_equal:
    compare(x, y, n, out, [](double p, double q) { return p >= q; });
    break;
  case Op::equal:
    compare(x, y, n, out, [](double p, double q) { return p == q; });
    break;
  case Op::not_equal:
    compare(x, y, n, out, [](double p, double q) { return p != q; });
    break;
  case Op::logical_and:
    compare(x, y, n, out, [](double p, double q) { return p != 0 && q != 0; });
    break;
  case Op::logical_or:
    compare(x, y, n, out, [](double p, double q) { return p != 0 || q != 0; });
    break;
  case Op::logical_not:
    for (std::size_t k = 0; k < n; ++k)
      out[k] = std::isnan(x[k]) ? x[k] : x[k] == 0;
    break;
  case Op::if_then_else:
    for (std::size_t k = 0; k < n; ++k)
      out[k] = std::isnan(x[k]) ? x[k] : x[k] != 0 ? y[k] : a[2][k];
    break;
  case Op::min:
  case Op::max:
    for (std::size_t k = 0; k < n; ++k) {
      double v = x[k];
      for (std::size_t i = 1; i < a.size(); ++i) {
        double w = a[i][k];
        if (std::isnan(w) || std::isnan(v))
          v = std::nan("");
        else
          v = e.op == Op::min ? std::min(v, w) : std::max(v, w);
      }
      out[k] = v;
    }
    break;
  case Op::abs:
    for (std::size_t k = 0; k < n; ++k)
      out[k] = std::fabs(x[k]);
    break;
  case Op::floor:
    for (std::size_t k = 0; k < n; ++k)
      out[k] = std::floor(x[k]);
    break;
  case Op::ceil:
    for (std::size_t k = 0; k < n; ++k)
      out[k] = std::ceil(x[k]);
    break;
  case Op::round:
    for (std::size_t k = 0; k < n; ++k)
      out[k] = round_to(x[k], e.value);
    break;
  // Out of their domain these give what the C library does, never a
  // number that looks right: ln(0) = -inf, ln(-1) = NaN, exp(1000) = inf;
  // the caller's finiteness check then stops the calculation.
  case Op::exp:
    for (std::size_t k = 0; k < n; ++k)
      out[k] = std::exp(x[k]);
    break;
  case Op::ln:
    for (std::size_t k = 0; k < n; ++k)
      out[k] = std::log(x[k]);
    break;
  case Op::key_lookup:
    for (std::size_t k = 0; k < n; ++k) {
      std::size_t index = 0;
      bool valid = true;
      for (std::size_t i = 0; i < a.size(); ++i) {
        double key = a[i][k];
        valid = valid && key >= 0; // false for NaN too
        if (valid) index += static_cast<std::size_t>(key) * static_cast<std::size_t>(e.strides[i]);
      }
      out[k] = valid && index < e.table.size() ? e.table[index] : std::nan("");
    }
    break;
  case Op::band_lookup: {
    // The keys (if any) come first, the banded number last.
    const std::size_t key_count = e.strides.size();
    const double* number = a[key_count].data();
    for (std::size_t k = 0; k < n; ++k) {
      out[k] = std::nan("");
      int index = 0;
      bool valid = true;
      for (std::size_t i = 0; i < key_count; ++i) {
        valid = valid && a[i][k] >= 0; // false for NaN too
        if (valid) index += static_cast<int>(a[i][k]) * e.strides[i];
      }
      if (!valid) continue;
      for (std::size_t b = 0; b < e.table.size(); ++b)
        if ((key_count == 0 || e.band_key[b] == index) && number[k] >= e.band_from[b] &&
            number[k] < e.band_to[b]) {
          out[k] = e.table[b];
          break;
        }
    }
    break;
  }
  default:
    std::fill(out, out + n, std::nan(""));
    break;
  }
}

double evaluate_scalar(const Expr& expr, const EvalFrame& frame) {
  double out = 0;
  evaluate(expr, frame, 1, &out);
  return out;
}

} // namespace mrv::detail
