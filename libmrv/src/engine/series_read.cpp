// One pass over a file of a data source, as named phases: the header and
// its columns, then each row (its time and unit, its values, whether it
// repeats an earlier row) and what it adds to the summaries.
#include "base/try.hpp"
#include "engine/series_state.hpp"

#include "data/plain_line.hpp"
#include "data/text_number.hpp"
#include "data/timestamp.hpp"
#include "engine/rating_bounds.hpp"
#include "mrv/calc.hpp"
#include "mrv/numbers.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <unordered_map>

namespace mrv::detail {
namespace {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// 10^k for the k that makes `factor` an exact power of ten, if any.
bool power_of_ten(double factor, int& k) {
  for (int e = -12; e <= 12; ++e) {
    long double p = 1.0L;
    for (int j = 0; j < std::abs(e); ++j)
      p *= 10.0L;
    if (static_cast<double>(e < 0 ? 1.0L / p : p) == factor) {
      k = e;
      return true;
    }
  }
  return false;
}

// 10^n for n in [0, 30], as a table: this runs on every reading.
constexpr std::array<Int128, 31> powers_of_ten_128 = [] {
  std::array<Int128, 31> t{};
  t[0] = 1;
  for (std::size_t i = 1; i < t.size(); ++i)
    t[i] = t[i - 1] * 10;
  return t;
}();
Int128 pow10_128(int n) {
  return powers_of_ten_128[static_cast<std::size_t>(n)];
}

// A reading added to its sum: exactly, in 1e-12 units, when the column's
// conversion is a power of ten (`exact_shift`) and the reading a plain
// decimal; else as a double. The general and the lean row both call this.
[[gnu::always_inline]] inline void add_reading(Accumulator& accumulator, bool column_exact,
                                               int exact_shift, bool exact, std::int64_t mantissa,
                                               int decimals, double value, std::int64_t time) {
  if (column_exact && exact && exact_shift >= decimals && exact_shift - decimals <= 30)
    accumulator.add_exact(static_cast<Int128>(mantissa) * pow10_128(exact_shift - decimals), value,
                          time);
  else
    accumulator.add(value, time);
}

std::uint64_t fnv1a(std::string_view text, std::uint64_t hash) {
  for (char c : text)
    hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return hash;
}

std::uint64_t mix(std::uint64_t hash, double value) {
  std::uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  hash ^= bits + 0x9e3779b97f4a7c15ull + (hash << 6) + (hash >> 2);
  return hash;
}

// The error to apply to a value measured on `day` by `meter`: 0 while a
// calibration is valid; else the error found when calibration resumed, or
// the maximum permissible error.
double lapse_error(const Meter& meter, std::int64_t day) {
  const Calibration* next = nullptr;
  for (const Calibration& c : meter.calibrations) {
    if (day >= c.first_day && day <= c.last_day) return 0.0;
    if (c.first_day > day && (!next || c.first_day < next->first_day)) next = &c;
  }
  if (next && next->error_found) return *next->error_found;
  return meter.max_error;
}

// Nothing but spaces and tabs (or nothing): an empty cell. A loop, not
// find_first_not_of, which calls memchr once per character.
bool is_blank(std::string_view text) {
  for (char c : text)
    if (c != ' ' && c != '\t') return false;
  return true;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a >= 0 ? a / b : (a - b + 1) / b;
}

} // namespace

std::string local_time(std::int64_t utc, int offset_minutes) {
  const std::int64_t local = utc + static_cast<std::int64_t>(offset_minutes) * 60;
  const std::int64_t day = floor_div(local, 86400);
  const auto minute = static_cast<int>((local - day * 86400) / 60);
  // Written out, not formatted: the gap count names two a month and unit.
  std::string text = format_date(day) + "T00:00";
  text[11] = static_cast<char>('0' + minute / 600);
  text[12] = static_cast<char>('0' + minute / 60 % 10);
  text[14] = static_cast<char>('0' + minute % 60 / 10);
  text[15] = static_cast<char>('0' + minute % 10);
  return text;
}

// One mapped column: where it is, what it feeds and how to convert it.
struct MappedColumn {
  std::size_t field;
  int record_slot;
  double scale, shift; // value in the parameter's unit = raw × scale + shift
  const Parameter* parameter;
  const ColumnMapping* mapping;
  std::size_t aggregated; // index into Aggregation::aggregated()
  // When the conversion is a power of ten (kWh → MWh), plain decimals are
  // summed exactly: in 1e-12 units, mantissa × 10^(exact_shift - decimals).
  bool exact = false;
  int exact_shift = 0;
  int bound = -1;                   // the rating bound of its parameter, or -1
  std::vector<const Meter*> meters; // per unit: the meter measuring it, if declared
};

// One value of a row, read but not yet added.
struct Cell {
  enum class Status { value, empty, dropped, none } status = Status::none;
  double value = 0; // in the parameter's unit
  bool exact = false;
  std::int64_t mantissa = 0;
  int decimals = 0;
  bool above_rating = false;
  // A register difference covers [from, to) in real time, wherever the
  // row's own interval is; `month` is where it lands when in one month.
  bool spans = false;
  std::int64_t from = 0, to = 0;
  std::size_t month = 0;
  bool placed = false; // lands in a month of a period
  bool rolled = false, replaced = false;
  // Field by field: building a Cell{} on the stack and copying it over
  // stalls each row on store forwarding (measured: a fifth of the data path).
  void reset() {
    status = Status::none;
    exact = above_rating = spans = placed = rolled = replaced = false;
  }
};

class SourceReading {
public:
  SourceReading(Aggregation& a, std::size_t source, CsvReader& reader, RowCounts& counts)
      : a_(a), m_(a.m_), c_(*a.m_.compiled), source_(a.project_.data[source]),
        source_index_(source), state_(*a.sources_[source]), reader_(reader), counts_(counts),
        offset_(a.project_.utc_offset_minutes), bounds_(a.m_, a.bound_) {
    file_ = static_cast<std::int32_t>(a.files_.size());
    a.files_.push_back(reader.display_name());
  }

  Status run() {
    MRV_TRY(header());
    choose_record_equations();
    allocate_batch();
    prepare_state();
    const bool lean = lean_source();
    state_.lean = lean;
    if (lean) prepare_lean();
    for (;;) {
      if (lean && !state_.inferring) MRV_TRY(lean_lines());
      if (!MRV_TRY(reader_.next(row_))) break;
      ++counts_.read;
      if (lean && !state_.inferring && lean_row()) continue;
      if (!one_row()) return std::move(*error_);
    }
    MRV_TRY(flush());
    counts_.blank_lines += reader_.blank_lines();
    return Ok{};
  }

private:
  Aggregation& a_;
  const Methodology& m_;
  const CompiledMethodology& c_;
  const DataSource& source_;
  const std::size_t source_index_;
  Aggregation::SourceState& state_;
  CsvReader& reader_;
  RowCounts& counts_;
  const int offset_;
  RatingBounds bounds_;
  std::int32_t file_ = 0;
  CsvRow row_;
  std::vector<std::string> header_;
  std::size_t time_field_ = 0;
  std::optional<std::size_t> unit_field_;
  std::vector<MappedColumn> mapped_;
  std::vector<Cell> cells_;
  bool plain_numbers_ = true;
  NumberFormat number_format_;
  DateMemo date_memo_;
  RepeatedText last_time_; // the lean lines' last timestamp
  std::size_t month_ = 0;
  int last_unit_ = -1;
  std::unordered_map<std::string, int, StringHash, std::equal_to<>> unit_index_;
  std::vector<std::uint64_t> unit_keys_;
  // Per-record equations and their batch of rows.
  std::vector<std::size_t> record_equations_, summarised_;
  std::vector<std::vector<double>> columns_;
  std::vector<const double*> column_pointers_;
  std::vector<int> batch_units_;
  std::vector<std::size_t> batch_buckets_;
  std::vector<std::int64_t> batch_times_, batch_lines_;
  std::size_t n_ = 0;
  static constexpr std::size_t kBatch = 1024;
  // The steps of a row return false after keeping their error here: no
  // Expected is built and torn down per row (the data path's cost).
  std::optional<Diagnostic> error_;
  // The lean source's column, its optional bounds as ±infinity: the lean
  // row's checks without a branch on whether each is declared.
  struct LeanColumn {
    double scale = 1, least = 0, most = 0, column_most = 0;
    bool exact = false;
    int exact_shift = 0;
    std::size_t aggregated = 0, stride = 0;
    std::int64_t first_start = 0; // the first month's start: slot 0
  } lean_;
  void prepare_lean() {
    const MappedColumn& mc = mapped_[0];
    const double infinity = std::numeric_limits<double>::infinity();
    lean_ = {mc.scale,
             mc.parameter->minimum.value_or(-infinity),
             mc.parameter->maximum.value_or(infinity),
             mc.mapping->maximum.value_or(infinity),
             mc.exact,
             mc.exact_shift,
             mc.aggregated,
             a_.aggregated_.size(),
             a_.months_.empty() ? 0 : a_.months_.front().start};
  }
  bool fail(Diagnostic d) {
    error_ = std::move(d);
    return false;
  }

  const std::string& file() const { return reader_.display_name(); }
  const std::string& unit_name(std::size_t u) const {
    static const std::string site(site_label);
    return u == a_.site_ ? site : a_.bound_.unit_ids[u];
  }

  Diagnostic row_error(std::size_t field, std::string message) const {
    Diagnostic d = error_at(Location{file(), static_cast<int>(row_.line),
                                     field < row_.columns.size() ? row_.columns[field] : 1},
                            std::move(message));
    d.source_line = std::string(row_.text);
    if (field < row_.fields.size())
      d.caret_length = static_cast<int>(std::max<std::size_t>(1, row_.fields[field].size()));
    return d;
  }

  // ---- The header and its columns.

  Status header() {
    if (!MRV_TRY(reader_.next(row_)))
      return error_at(Location{file(), 1, 1}, "the file is empty: a header row was expected");
    header_.assign(row_.fields.begin(), row_.fields.end());
    if (!valid_utf8(row_.text)) {
      Diagnostic d = row_error(0, "the header is not UTF-8 text");
      d.notes.push_back(source_.encoding.empty()
                            ? "declare the file's encoding: `encoding: CP932` for a Japanese "
                              "export, `encoding: UTF-16LE`, `encoding: ISO-8859-1`..."
                            : fmt::format("the file was converted from {}: is that its encoding?",
                                          source_.encoding));
      return d;
    }
    std::unordered_map<std::string_view, std::size_t> seen;
    for (std::size_t f = 0; f < header_.size(); ++f)
      if (!seen.emplace(header_[f], f).second)
        return row_error(f, fmt::format("column '{}' appears twice in the header", header_[f]));
    time_field_ = MRV_TRY(column_index(source_.timestamp_column, "the timestamp"));
    if (!source_.unit_column.empty())
      unit_field_ = MRV_TRY(column_index(source_.unit_column, "the unit of each row"));
    const NumberFormat format{source_.decimal_point, source_.thousands_separator};
    number_format_ = format;
    plain_numbers_ = source_.decimal_point == '.' && source_.thousands_separator == 0;
    for (const ColumnMapping& cm : source_.columns)
      MRV_TRY(map_column(cm));
    cells_.resize(mapped_.size());
    return Ok{};
  }

  Expected<std::size_t> column_index(const std::string& name, const std::string& role) const {
    for (std::size_t f = 0; f < header_.size(); ++f)
      if (header_[f] == name) return f;
    Diagnostic d = row_error(0, fmt::format("no column '{}' ({}) in the header; columns are: {}",
                                            name, role, fmt::join(header_, ", ")));
    if (header_.size() == 1)
      if (char delimiter = delimiter_in_header(header_[0], source_.delimiter))
        d.notes.push_back(fmt::format("the header is one column holding '{}': declare "
                                      "`delimiter: \"{}\"`",
                                      delimiter == '\t' ? "tab" : std::string(1, delimiter),
                                      delimiter == '\t' ? "tab" : std::string(1, delimiter)));
    std::string hint = closest_match(name, header_);
    if (!hint.empty()) d.notes.push_back(fmt::format("did you mean '{}'?", hint));
    return d;
  }

  int index_value_of(const Parameter& p, const std::string& text) const {
    const std::vector<std::string>& values = m_.indices[static_cast<std::size_t>(p.index)].values;
    return static_cast<int>(std::find(values.begin(), values.end(), text) - values.begin());
  }

  Status map_column(const ColumnMapping& cm) {
    const Parameter* p = m_.parameter(cm.parameter);
    const auto index = static_cast<std::size_t>(p - m_.parameters.data());
    const std::size_t field = MRV_TRY(column_index(cm.column, "mapped to " + cm.parameter));
    // The header's own unit, when it names one, must be the declared one.
    if (std::optional<Unit> named = unit_named_in_header(cm.column);
        named && !same_reading(*named, cm.unit)) {
      Diagnostic d = row_error(field, fmt::format("column '{}' names {} in its header, but the "
                                                  "project declares `unit: {}` for it",
                                                  cm.column, named->text, cm.unit.text));
      d.notes.push_back(fmt::format("declared at {}:{}:{}: declare `unit: {}` if the header is "
                                    "right",
                                    cm.unit_location.file, cm.unit_location.line,
                                    cm.unit_location.column, named->text));
      if (same_dimension(*named, cm.unit))
        d.notes.push_back(fmt::format("read as {}, every value would count {} times what it is",
                                      cm.unit.text,
                                      format_number(conversion_factor(cm.unit, *named))));
      return d;
    }
    // Affine conversion for absolute temperatures, otherwise a pure factor.
    double shift = convert_value(0.0, cm.unit, p->unit);
    double scale = convert_value(1.0, cm.unit, p->unit) - shift;
    if (cm.unit.offset == 0 && p->unit.offset == 0) {
      scale = conversion_factor(cm.unit, p->unit);
      shift = 0;
    }
    // The aggregated value it feeds: the parameter's, or for `W_j_p[food]`
    // that index value's (found once here, so rows cost the same).
    const int value = cm.index.empty() ? -1 : index_value_of(*p, cm.index);
    std::size_t aggregated = 0;
    while (a_.aggregated_[aggregated].parameter != index ||
           a_.aggregated_[aggregated].index_value != value)
      ++aggregated;
    const int slot = a_.aggregated_[aggregated].record_slot;
    MappedColumn column{
        field, slot, scale, shift, p, &cm, aggregated, false, 0, bounds_.bound_for(index), {}};
    int k = 0;
    if (shift == 0 && plain_numbers_ && power_of_ten(scale, k)) {
      column.exact = true;
      column.exact_shift = k + Accumulator::exact_decimals;
    }
    column.meters.assign(a_.width_, nullptr); // none for the site (refused by calc)
    for (const Meter& meter : a_.project_.meters)
      if (meter.parameter == cm.parameter)
        for (std::size_t u = 0; u < a_.unit_count_; ++u)
          if (a_.bound_.unit_ids[u] == meter.unit) column.meters[u] = &meter;
    mapped_.push_back(std::move(column));
    return Ok{};
  }

  // Per-record equations run for this source when all their inputs are
  // here (never on the site's rows: they are equations of a unit's rows).
  void choose_record_equations() {
    std::vector<bool> present(static_cast<std::size_t>(c_.record_slots), false);
    for (const MappedColumn& mc : mapped_)
      present[static_cast<std::size_t>(mc.record_slot)] = true;
    for (int index : source_.site() ? std::vector<int>{} : c_.order) {
      const CompiledParameter& cp = c_.parameters[static_cast<std::size_t>(index)];
      if (cp.record_slot < 0 || !cp.has_formula) continue;
      std::vector<const Expr*> stack{&cp.formula.expr};
      bool inputs_present = true;
      while (!stack.empty()) {
        const Expr* e = stack.back();
        stack.pop_back();
        if (e->op == Expr::Op::parameter && e->level == Level::record)
          inputs_present = inputs_present && present[static_cast<std::size_t>(e->slot)];
        for (const Expr& arg : e->args)
          stack.push_back(&arg);
      }
      if (inputs_present) {
        record_equations_.push_back(static_cast<std::size_t>(index));
        present[static_cast<std::size_t>(cp.record_slot)] = true;
      }
    }
    std::vector<bool> from_columns(a_.aggregated_.size(), false);
    for (const MappedColumn& mc : mapped_)
      from_columns[mc.aggregated] = true;
    for (std::size_t k = 0; k < a_.aggregated_.size(); ++k)
      if (present[static_cast<std::size_t>(a_.aggregated_[k].record_slot)] && !from_columns[k] &&
          !source_.site())
        summarised_.push_back(k);
  }

  void allocate_batch() {
    columns_.assign(static_cast<std::size_t>(c_.record_slots), std::vector<double>(kBatch));
    column_pointers_.resize(columns_.size());
    for (std::size_t s = 0; s < columns_.size(); ++s)
      column_pointers_[s] = columns_[s].data();
    batch_units_.resize(kBatch);
    batch_buckets_.resize(kBatch);
    batch_times_.resize(kBatch);
    batch_lines_.resize(kBatch);
  }

  // The first file of a source sets up its state; later files carry it on.
  void prepare_state() {
    Aggregation::SourceState& s = state_;
    if (s.units.empty()) {
      s.units.resize(a_.width_);
      for (UnitState& u : s.units) {
        u.reading.assign(mapped_.size(), 0);
        u.reading_line.assign(mapped_.size(), 0);
        u.reading_time.assign(mapped_.size(), 0);
        u.reading_exact.assign(mapped_.size(), ExactReading{});
        u.has_reading.assign(mapped_.size(), false);
        u.most.assign(mapped_.size(), std::nan(""));
        u.extremes.resize(mapped_.size());
      }
      for (const MappedColumn& mc : mapped_) {
        s.columns.emplace_back(mc.aggregated, mc.mapping->cumulative);
        s.bounds.push_back(mc.bound);
        s.column_names.push_back(mc.mapping->column);
        s.reading_declared.push_back(mc.mapping->reading_declared);
        s.percent_scale.push_back(mc.mapping->unit.text == "%" && mc.shift == 0 ? mc.scale : 0);
      }
      s.any_cumulative = std::any_of(mapped_.begin(), mapped_.end(),
                                     [](const MappedColumn& mc) { return mc.mapping->cumulative; });
      s.has_record_equations = !record_equations_.empty();
      if (source_.site()) {
        s.constant_unit = static_cast<int>(a_.site_); // calc checked it maps site values only
      } else if (!source_.constant_unit.empty()) {
        for (std::size_t u = 0; u < a_.bound_.unit_ids.size(); ++u)
          if (a_.bound_.unit_ids[u] == source_.constant_unit) s.constant_unit = static_cast<int>(u);
      }
      s.interval.seconds = source_.interval_seconds;
      s.inferring = source_.interval_seconds == 0 && !source_.interval_irregular;
      if (source_.interval_irregular) s.interval.why_none = "declared irregular";
      // Only a file that separates fields with something else than a comma
      // can write thousands with '.' unnoticed: 2.002 is then 2002.
      s.check_decimals =
          !source_.number_format_declared && source_.delimiter != ',' && plain_numbers_;
      if (a_.assumed_interval_) {
        s.interval = *a_.assumed_interval_;
        s.inferring = false;
      }
    }
    for (std::size_t u = 0; u < a_.bound_.unit_ids.size(); ++u)
      unit_index_.emplace(a_.bound_.unit_ids[u], static_cast<int>(u));
    for (const std::string& id : a_.bound_.unit_ids)
      unit_keys_.push_back(key_of(id));
  }

  // An id of 1 to 7 bytes is compared as one 64-bit key: its bytes, then
  // its length (so no two ids share a key); 0 means "compare the text".
  [[gnu::always_inline]] static std::uint64_t key_of(std::string_view text) {
    if (text.empty() || text.size() > 7) return 0;
    std::uint64_t bytes = 0;
    for (std::size_t i = 0; i < text.size(); ++i)
      bytes |= std::uint64_t{static_cast<unsigned char>(text[i])} << (8 * i);
    return bytes << 8 | text.size();
  }
  // The same key in one load, where 8 bytes from the text are readable.
  [[gnu::always_inline]] static std::uint64_t key_at(std::string_view text) {
    if (text.empty() || text.size() > 7) return 0;
    std::uint64_t bytes;
    std::memcpy(&bytes, text.data(), sizeof bytes);
    bytes &= (std::uint64_t{1} << (8 * text.size())) - 1;
    return bytes << 8 | text.size();
  }

  // Rows usually name the same unit as the row before, or the next one
  // (sorted by time, then unit; or by unit, then time): both are tried
  // before the hash look-up. `key` is the text's key_of().
  [[gnu::always_inline]] int unit_of(std::string_view text, int guess, std::uint64_t key) const {
    auto is = [&](int unit) {
      const auto u = static_cast<std::size_t>(unit);
      return key != 0 ? unit_keys_[u] == key : a_.bound_.unit_ids[u] == text;
    };
    if (guess >= 0) {
      if (is(guess)) return guess;
      const int next = guess + 1 == static_cast<int>(unit_keys_.size()) ? 0 : guess + 1;
      if (is(next)) return next;
    }
    auto it = unit_index_.find(text);
    return it == unit_index_.end() ? -1 : it->second;
  }

  // ---- One row.

  // A source of one interval column of plain numbers, without per-record
  // equations, meters or daily series: most exports. Its common rows take
  // lean_row().
  bool lean_source() const {
    return mapped_.size() == 1 && !mapped_[0].mapping->cumulative && record_equations_.empty() &&
           summarised_.empty() && plain_numbers_ && !state_.check_decimals && !a_.days_kept_ &&
           source_.covers.empty() && mapped_[0].shift == 0 &&
           std::all_of(mapped_[0].meters.begin(), mapped_[0].meters.end(),
                       [](const Meter* m) { return m == nullptr; });
  }

  // The common row of a lean source in one pass: inside a period, a plain
  // number within its range and its rating, in an interval not seen before.
  // Anything else (false) goes through one_row(), which handles every case;
  // nothing here changes what one_row() then sees.
  bool lean_row() {
    if (row_.fields.size() != header_.size()) return false;
    return lean_values<false>(row_.fields[time_field_],
                              unit_field_ ? row_.fields[*unit_field_] : std::string_view(),
                              row_.fields[mapped_[0].field]);
  }

  // The plain lines (data/plain_line.hpp) from where the reader stands, each
  // read straight from the reader's buffer, as lean_row() reads a row; stops
  // at the first line it cannot take (or the end of the input), which
  // CsvReader::next() then reads for lean_row() or one_row().
  Status lean_lines() {
    const unsigned wanted[] = {static_cast<unsigned>(time_field_),
                               static_cast<unsigned>(unit_field_.value_or(time_field_)),
                               static_cast<unsigned>(mapped_[0].field)};
    FieldPicker picker(static_cast<unsigned>(header_.size()), wanted);
    for (;;) {
      const std::string_view lines = MRV_TRY(reader_.whole_lines());
      if (lines.empty()) return Ok{};
      const char* const start = lines.data();
      const char* p = start;
      const char* const end = start + lines.size();
      std::int64_t taken = 0;
      PlainLine line;
      std::string_view texts[FieldPicker::picked];
      // row_.line is the line being read, as for a row next() reads.
      row_.line = reader_.next_line();
      while (p != end && read_plain_line(p, source_.delimiter, line) &&
             picker.pick(p, line, texts) && lean_values<true>(texts[0], texts[1], texts[2])) {
        p += line.next;
        ++row_.line;
        ++taken;
      }
      counts_.read += taken;
      reader_.consume(static_cast<std::size_t>(p - start), taken);
      if (p != end) return Ok{};
    }
  }

  // The row's time, unit and value texts, as lean_row() describes; `padded`:
  // the 64 bytes from any byte of them are readable (the reader's buffer).
  template <bool padded> [[gnu::always_inline]] bool
  lean_values(std::string_view time_text, std::string_view unit_text, std::string_view value_text) {
    std::int64_t time;
    if (!(padded && last_time_.same(time_text, time))) {
      if (!parse_memo_timestamp(time_text, date_memo_, time) &&
          !parse_timestamp(time_text, offset_, date_memo_, time))
        return false;
      if (padded) last_time_.keep(time_text, time);
    }
    int unit = state_.constant_unit;
    if (unit_field_) {
      unit = unit_of(unit_text, last_unit_, padded ? key_at(unit_text) : key_of(unit_text));
      if (unit < 0) return false;
      last_unit_ = unit;
    }
    const std::int64_t instant = source_.marks == TimestampMarks::end ? time - 1 : time;
    if (!place(instant)) return false;
    const LeanColumn& c = lean_;
    double raw;
    bool exact;
    std::int64_t mantissa;
    int decimals;
    if (padded && parse_reading_padded(value_text, raw, mantissa, decimals))
      exact = true;
    else if (!parse_number_and_decimal(value_text, raw, exact, mantissa, decimals))
      return false;
    const double value = raw * c.scale;
    if (value < c.least || value > c.most || raw > c.column_most) return false;
    UnitState& state = state_.units[static_cast<std::size_t>(unit)];
    const std::int64_t interval = state_.interval.seconds;
    if (interval == 0 || value > most_for_interval(0, unit, state)) return false;
    const std::int64_t slot = instant == state.last_instant + interval
                                  ? state.last_slot + 1
                                  : (instant - c.first_start) / interval;
    // At the limit, one_row() takes the row (and refuses it if it needs a
    // new block): marked here, it would then look like a repeat of itself.
    if (a_.interval_blocks_ >= Aggregation::kMaxIntervalBlocks) return false;
    // A repeat: one_row() compares it. Nothing has changed (the bit was set).
    if (state.seen.test_and_set(slot, a_.interval_blocks_)) return false;
    state.has_rows = true;
    state.last_instant = instant;
    state.last_slot = slot;
    state.recent.put({slot, mix(kHashSeed, value), row_.line, file_, instant}, a_.recent_rows_);
    state.extremes[0].add_value(value, row_.line, file_);
    lean_add(month_ * a_.width_ + static_cast<std::size_t>(unit), time, value, exact, mantissa,
             decimals);
    return true;
  }

  // What add_value() does for a lean row's value: no flags, no meter, no
  // daily series (lean_source()).
  [[gnu::always_inline]] void lean_add(std::size_t bucket, std::int64_t time, double value,
                                       bool exact, std::int64_t mantissa, int decimals) {
    const LeanColumn& c = lean_;
    const std::size_t at = bucket * c.stride + c.aggregated;
    note_largest(a_.quality_[at], value);
    add_reading(a_.accumulators_[at], c.exact, c.exact_shift, exact, mantissa, decimals, value,
                time);
    ++counts_.used;
    ++a_.records_[bucket];
  }

  bool one_row() {
    const std::size_t width = header_.size();
    if (row_.fields.size() != width)
      return fail(row_error(
          std::min(row_.fields.size(), width) == 0 ? 0 : std::min(row_.fields.size(), width) - 1,
          fmt::format("row has {} fields but the header has {}", row_.fields.size(), width)));
    std::int64_t time = 0;
    int unit = 0;
    if (!timestamp(time) || !unit_of_row(unit)) return false;
    UnitState& state = state_.units[static_cast<std::size_t>(unit)];
    state.has_rows = true;
    if (state_.any_cumulative) {
      const std::uint64_t texts = texts_hash();
      if (time == state.last_time && texts == state.last_texts) {
        repeat_of_last(unit, time); // a row exported twice: counted once
        return true;
      }
      if (!check_time_order(unit, time, state)) return false;
      state.last_time = time;
      state.last_line = row_.line;
      state.last_texts = texts;
    }
    // A row belongs to the month holding the start of its interval.
    const std::int64_t instant = source_.marks == TimestampMarks::end ? time - 1 : time;
    const bool inside = place(instant);
    if (state_.inferring) {
      state_.inference.add(static_cast<std::size_t>(unit), instant);
      if (state_.inference.full())
        if (Status settled = a_.settle_interval(source_index_); !settled)
          return fail(std::move(settled).error());
    }
    if (!inside && !state_.any_cumulative) {
      ++counts_.outside_periods;
      return true;
    }
    if (!read_values(unit, time, inside, state)) return false;
    if (!inside) {
      ++counts_.outside_periods;
      return commit_values(unit, time, instant, false);
    }
    bool repeat = false;
    if (!(state_.any_cumulative ? mark_interval(unit, instant, state)
                                : check_repeat(unit, instant, state, repeat)))
      return false;
    if (repeat) {
      a_.duplicates_[month_ * a_.width_ + static_cast<std::size_t>(unit)].add(file_, row_.line);
      ++counts_.duplicates;
      return true;
    }
    return commit_values(unit, time, instant, true);
  }

  [[gnu::always_inline]] bool timestamp(std::int64_t& time) {
    const std::string_view text = row_.fields[time_field_];
    bool has_time;
    if (source_.timestamp_format.pattern.empty()) {
      has_time = parse_timestamp(text, offset_, date_memo_, time);
    } else {
      const std::optional<std::int64_t> parsed =
          parse_timestamp_pattern(text, source_.timestamp_format.pattern, offset_);
      has_time = parsed.has_value();
      time = parsed.value_or(0);
    }
    if (has_time) return true;
    Diagnostic d = row_error(
        time_field_, source_.timestamp_format.pattern.empty()
                         ? fmt::format("cannot read timestamp '{}' (expected ISO 8601, such as "
                                       "2017-01-01T00:00:00+08:00 or 2017-01-01 00:00)",
                                       text)
                         : fmt::format("cannot read timestamp '{}' as '{}'", text,
                                       source_.timestamp_format.pattern));
    if (std::string guess = guess_timestamp_format(text);
        !guess.empty() && guess != source_.timestamp_format.pattern)
      d.notes.push_back(fmt::format("it reads as `timestamp: {{column: {}, format: \"{}\"}}`",
                                    source_.timestamp_column, guess));
    return fail(std::move(d));
  }

  [[gnu::always_inline]] bool unit_of_row(int& unit) {
    if (!unit_field_) {
      unit = state_.constant_unit;
      return true;
    }
    const std::string_view text = row_.fields[*unit_field_];
    last_unit_ = unit_of(text, last_unit_, key_of(text));
    if (last_unit_ < 0) {
      Diagnostic d =
          row_error(*unit_field_, fmt::format("unit '{}' is not declared in the project", text));
      std::string hint = closest_match(std::string(text), a_.bound_.unit_ids);
      if (!hint.empty()) d.notes.push_back(fmt::format("did you mean '{}'?", hint));
      return fail(std::move(d));
    }
    if (!source_.covers.empty() &&
        std::find(source_.covers.begin(), source_.covers.end(), text) == source_.covers.end())
      return fail(row_error(*unit_field_,
                            fmt::format("unit '{}' is not among the units data source '{}' covers "
                                        "(units: {})",
                                        text, source_.id, fmt::join(source_.covers, ", "))));
    unit = last_unit_;
    return true;
  }

  std::uint64_t texts_hash() const {
    std::uint64_t hash = 14695981039346656037ull;
    for (const MappedColumn& mc : mapped_)
      hash = fnv1a(row_.fields[mc.field], hash) * 31;
    return hash;
  }

  void repeat_of_last(int unit, std::int64_t time) {
    const std::int64_t instant = source_.marks == TimestampMarks::end ? time - 1 : time;
    if (place(instant)) {
      a_.duplicates_[month_ * a_.width_ + static_cast<std::size_t>(unit)].add(file_, row_.line);
      ++counts_.duplicates;
    } else {
      ++counts_.outside_periods;
    }
  }

  // Cumulative registers need each unit's readings in time order.
  bool check_time_order(int unit, std::int64_t time, const UnitState& state) {
    if (time > state.last_time) return true;
    if (time == state.last_time)
      return fail(
          row_error(time_field_, fmt::format("this row has the same unit and time as line {} but "
                                             "different values",
                                             state.last_line)));
    return fail(
        row_error(time_field_,
                  fmt::format("cumulative readings of unit '{}' must be in time order: this row "
                              "({}) does not come after line {} ({})",
                              unit_name(static_cast<std::size_t>(unit)), local_time(time, offset_),
                              state.last_line, local_time(state.last_time, offset_))));
  }

  // Places `instant` in a month of a period (month_); false when outside.
  [[gnu::always_inline]] bool place(std::int64_t instant) {
    const std::vector<MonthSlice>& months = a_.months_;
    if (month_ < months.size() && instant >= months[month_].start && instant < months[month_].end)
      return true;
    auto it = std::upper_bound(months.begin(), months.end(), instant,
                               [](std::int64_t t, const MonthSlice& s) { return t < s.start; });
    if (it == months.begin() || instant >= (it - 1)->end) return false;
    month_ = static_cast<std::size_t>(it - 1 - months.begin());
    return true;
  }

  // The month holding `instant`, or npos.
  std::size_t month_of(std::int64_t instant) const {
    const std::vector<MonthSlice>& months = a_.months_;
    auto it = std::upper_bound(months.begin(), months.end(), instant,
                               [](std::int64_t t, const MonthSlice& s) { return t < s.start; });
    if (it == months.begin() || instant >= (it - 1)->end) return std::string::npos;
    return static_cast<std::size_t>(it - 1 - months.begin());
  }

  // ---- Its values.

  [[gnu::always_inline]] bool read_values(int unit, std::int64_t time, bool inside,
                                          UnitState& state) {
    for (std::size_t k = 0; k < mapped_.size(); ++k) {
      Cell& cell = cells_[k];
      cell.reset();
      if (!read_cell(k, unit, time, inside, state, cell)) return false;
    }
    return true;
  }

  [[gnu::always_inline]] bool read_cell(std::size_t k, int unit, std::int64_t time, bool inside,
                                        UnitState& state, Cell& cell) {
    const MappedColumn& mc = mapped_[k];
    const ColumnMapping& cm = *mc.mapping;
    const Parameter& p = *mc.parameter;
    const std::string_view text = row_.fields[mc.field];
    if (is_blank(text)) {
      if (p.missing == MissingValue::error)
        return fail(
            row_error(mc.field, fmt::format("empty value in column '{}' ({})", cm.column, p.id)));
      ++counts_.missing_values;
      // An empty register reading loses nothing: the next reading holds it.
      cell.status = cm.cumulative ? Cell::Status::none : Cell::Status::empty;
      return true;
    }
    double raw = 0;
    std::optional<double> number;
    if (plain_numbers_) {
      if (double plain;
          parse_number_and_decimal(text, plain, cell.exact, cell.mantissa, cell.decimals))
        number = plain;
    } else {
      number = parse_number(text, number_format_);
    }
    if (!number)
      return fail(row_error(
          mc.field,
          fmt::format("'{}' in column '{}' is not a number{}", text, cm.column,
                      number_hint(text, source_.decimal_point, source_.thousands_separator))));
    if (state_.check_decimals && inside) {
      state_.decimals.add(text, row_.line, row_.columns[mc.field], row_.text);
      state_.decimals_file = file_;
    }
    raw = *number;
    if (cm.cumulative) {
      bool has_value = false;
      if (!register_difference(k, unit, time, raw, state, cell, has_value)) return false;
      if (!has_value) return true;
    } else if (!inside) {
      return true;
    } else {
      cell.month = month_;
      cell.placed = true;
    }
    const double value = raw * mc.scale + mc.shift;
    const bool out = (p.minimum && value < *p.minimum) || (p.maximum && value > *p.maximum) ||
                     (cm.maximum && raw > *cm.maximum);
    if (out) {
      if (cm.out_of_range == OutOfRange::error)
        return fail(row_error(
            mc.field,
            fmt::format(
                "{} {} in column '{}'{} is outside the allowed range of {} [{}, {}] {}{}",
                cm.cumulative ? format_number(at_15_significant_digits(raw)) : std::string(text),
                cm.unit.text, cm.column, cm.cumulative ? " (the difference of two readings)" : "",
                p.id, p.minimum ? fmt::format("{}", *p.minimum) : "-inf",
                p.maximum ? fmt::format("{}", *p.maximum) : "inf", p.unit.text,
                cm.maximum ? fmt::format(" (column maximum {})", *cm.maximum) : "")));
      cell.status = Cell::Status::dropped;
      return true;
    }
    cell.value = value;
    cell.status = Cell::Status::value;
    if (!cm.cumulative && mc.bound >= 0) return check_interval_bound(k, unit, time, state, cell);
    return true;
  }

  // The most a row of this unit can hold, for the source's interval.
  [[gnu::always_inline]] double most_for_interval(std::size_t k, int unit, UnitState& state) {
    const std::int64_t seconds = state_.interval.seconds;
    if (state.bound_seconds != seconds) {
      for (std::size_t j = 0; j < mapped_.size(); ++j)
        state.most[j] = mapped_[j].bound < 0
                            ? std::nan("")
                            : bounds_.most(mapped_[j].bound, static_cast<std::size_t>(unit),
                                           static_cast<double>(seconds));
      state.bound_seconds = seconds;
    }
    return state.most[k];
  }

  [[gnu::always_inline]] bool check_interval_bound(std::size_t k, int unit, std::int64_t time,
                                                   UnitState& state, Cell& cell) {
    if (state_.interval.seconds == 0) return true; // checked once the interval is inferred
    const double most = most_for_interval(k, unit, state);
    if (!(cell.value > most)) return true;
    if (explained(unit, time)) {
      cell.above_rating = true;
      return true;
    }
    return fail(above_rating_error(k, unit, cell.value, most,
                                   format_duration(state_.interval.seconds), "", time));
  }

  // The project declares why this row is above the unit's rating.
  bool explained(int unit, std::int64_t time) const {
    if (static_cast<std::size_t>(unit) >= a_.unit_count_) return false;
    for (const RatingException& e : a_.project_.units[static_cast<std::size_t>(unit)].above_rating)
      if (e.time == time) return true;
    return false;
  }

  Diagnostic above_rating_error(std::size_t k, int unit, double value, double most,
                                const std::string& over, const std::string& what,
                                std::int64_t time) const {
    const MappedColumn& mc = mapped_[k];
    const ProjectUnit& u = a_.project_.units[static_cast<std::size_t>(unit)];
    const RatingBound& bound = bounds_.describe(mc.bound);
    Diagnostic d = row_error(
        mc.field,
        fmt::format("{}{} {} of unit '{}' in {} is more than its rating allows ({} {} = {}, "
                    "rating {})",
                    what, format_number(at_15_significant_digits(value)), mc.parameter->unit.text,
                    unit_name(static_cast<std::size_t>(unit)), over,
                    format_number(at_15_significant_digits(most)), mc.parameter->unit.text,
                    bound.formula, u.rating.text));
    d.notes.push_back(fmt::format("a wrong `unit:` (kWh for MWh), a wrong rating, or a meter "
                                  "replaced or reset? If the value is right, say why under the "
                                  "unit: `above_rating: [{{at: \"{}\", why: ...}}]`",
                                  local_time(time, offset_)));
    return d;
  }

  // A register reading becomes the amount since the unit's previous one;
  // `has_value` is false for the first reading (where the register starts).
  bool register_difference(std::size_t k, int unit, std::int64_t time, double& raw,
                           UnitState& state, Cell& cell, bool& has_value) {
    const MappedColumn& mc = mapped_[k];
    const ColumnMapping& cm = *mc.mapping;
    const double reading = raw;
    if (cm.rollover && reading >= *cm.rollover)
      return fail(
          row_error(mc.field, fmt::format("the reading {} is not below the register size "
                                          "{} that `rollover:` declares",
                                          row_.fields[mc.field], format_number(*cm.rollover))));
    if (!state.any_reading) state.first_reading = time;
    state.any_reading = true;
    state.last_reading = time;
    const bool first = !state.has_reading[k];
    const double previous = state.reading[k];
    const std::int64_t previous_time = state.reading_time[k];
    const std::int64_t previous_line = state.reading_line[k];
    const ExactReading previous_exact = state.reading_exact[k];
    state.reading[k] = reading;
    state.reading_line[k] = row_.line;
    state.has_reading[k] = true;
    state.reading_time[k] = time;
    state.reading_exact[k] = {cell.exact, cell.mantissa, cell.decimals};
    cell.exact = false; // the difference is exact only when both readings are
    has_value = !first;
    if (first) return true;
    const double seconds = static_cast<double>(time - previous_time);
    const double most = mc.bound >= 0
                            ? bounds_.most(mc.bound, static_cast<std::size_t>(unit), seconds)
                            : std::nan("");
    const Meter* meter = mc.meters[static_cast<std::size_t>(unit)];
    const MeterReplacement* replaced = nullptr;
    if (meter)
      for (const MeterReplacement& r : meter->replacements)
        if (r.time > previous_time && r.time <= time) replaced = &r;
    if (replaced) {
      if (replaced->old_final < previous)
        return fail(row_error(mc.field, fmt::format("the replacement at {} declares old_final {}, "
                                                    "below the old meter's last reading {} (line "
                                                    "{})",
                                                    local_time(replaced->time, offset_),
                                                    format_number(replaced->old_final),
                                                    format_number(previous), previous_line)));
      if (reading < replaced->new_initial)
        return fail(row_error(mc.field, fmt::format("the reading {} is below the new meter's first "
                                                    "reading {} that the replacement at {} "
                                                    "declares",
                                                    row_.fields[mc.field],
                                                    format_number(replaced->new_initial),
                                                    local_time(replaced->time, offset_))));
      raw = (replaced->old_final - previous) + (reading - replaced->new_initial);
      cell.replaced = true;
    } else if (reading < previous) {
      if (!rollover(k, unit, previous, previous_line, reading, seconds, most, raw)) return false;
      cell.rolled = true;
    } else {
      raw = reading - previous;
      exact_difference(previous_exact, state.reading_exact[k], raw, cell);
    }
    const double amount = raw * mc.scale;
    if (amount > most && !explained(unit, time)) {
      const std::string over = format_duration(time - previous_time);
      Diagnostic d = above_rating_error(k, unit, amount, most, over,
                                        fmt::format("the register rose by {} {} since line {}: ",
                                                    format_number(at_15_significant_digits(raw)),
                                                    cm.unit.text, previous_line),
                                        time);
      d.notes.insert(d.notes.begin(),
                     "an undeclared meter replacement or reset? Declare it under `meters:` "
                     "(replacements: {at, old_final, new_initial})");
      return fail(std::move(d));
    }
    cell.above_rating = amount > most;
    cell.spans = true;
    cell.from = previous_time;
    cell.to = time;
    return true;
  }

  // Two readings written as plain decimals differ by an exact decimal: no
  // rounding noise from the register's size (1981883.0 - 1981554.1 is 328.9).
  static void exact_difference(const ExactReading& before, const ExactReading& after, double& raw,
                               Cell& cell) {
    if (!before.exact || !after.exact) return;
    const int decimals = std::max(before.decimals, after.decimals);
    const Int128 difference =
        static_cast<Int128>(after.mantissa) * pow10_128(decimals - after.decimals) -
        static_cast<Int128>(before.mantissa) * pow10_128(decimals - before.decimals);
    if (difference > INT64_MAX || difference < INT64_MIN) return;
    cell.exact = true;
    cell.mantissa = static_cast<std::int64_t>(difference);
    cell.decimals = decimals;
    raw = static_cast<double>(static_cast<long double>(cell.mantissa) /
                              static_cast<long double>(pow10_128(decimals)));
  }

  // A reading below the previous one: a rollover only when the wrapped
  // difference is plausible (within the rating, or without one a tenth of
  // the register).
  bool rollover(std::size_t k, int unit, double previous, std::int64_t previous_line,
                double reading, double seconds, double most, double& wrapped) {
    const MappedColumn& mc = mapped_[k];
    const ColumnMapping& cm = *mc.mapping;
    const std::string fell =
        fmt::format("the register of unit '{}' goes down from {} (line {}) to {}",
                    unit_name(static_cast<std::size_t>(unit)), format_number(previous),
                    previous_line, row_.fields[mc.field]);
    if (!cm.rollover)
      return fail(row_error(mc.field, fell + "; declare the meter's rollover, or its replacement "
                                             "or reset (meters: replacements:)"));
    wrapped = reading + *cm.rollover - previous;
    const bool plausible =
        std::isnan(most) ? wrapped <= *cm.rollover / 10 : wrapped * mc.scale <= most;
    if (plausible) return true;
    Diagnostic d = row_error(
        mc.field, fmt::format("{}: not a plausible rollover of its {} register (that would be {} "
                              "{} in {})",
                              fell, format_number(*cm.rollover),
                              format_number(at_15_significant_digits(wrapped)), cm.unit.text,
                              format_duration(static_cast<std::int64_t>(seconds))));
    d.notes.push_back("declare the meter's replacement or reset under `meters:` (replacements: "
                      "{at, old_final, new_initial}; a reset is new_initial: 0)");
    return fail(std::move(d));
  }

  // ---- Repeats.

  static constexpr std::uint64_t kHashSeed = 0x51ed27a3u;
  [[gnu::always_inline]] std::uint64_t values_hash() const {
    std::uint64_t hash = kHashSeed;
    for (const Cell& cell : cells_)
      hash = mix(hash, cell.status == Cell::Status::value
                           ? cell.value
                           : -static_cast<double>(static_cast<int>(cell.status) + 1) * 1e300);
    return hash;
  }

  // Whether the row repeats an earlier row of its unit and interval (then
  // `repeat`: counted once); a repeat with other values is an error.
  [[gnu::always_inline]] bool check_repeat(int unit, std::int64_t instant, UnitState& state,
                                           bool& repeat) {
    const std::uint64_t hash = values_hash();
    const std::int64_t interval = state_.interval.seconds;
    if (state_.inferring) return pending_repeat(unit, instant, hash, repeat);
    if (interval == 0) return equal_time_repeat(instant, hash, state, repeat);
    // Rows of a unit usually come one interval after the last: no division.
    const std::int64_t slot = instant == state.last_instant + interval
                                  ? state.last_slot + 1
                                  : (instant - a_.months_.front().start) / interval;
    state.last_instant = instant;
    state.last_slot = slot;
    if (!state.seen.test_and_set(slot, a_.interval_blocks_)) {
      state.recent.put({slot, hash, row_.line, file_, instant}, a_.recent_rows_);
      return within_interval_limit();
    }
    const RecentRows::Entry* earlier = state.recent.find(slot);
    if (!earlier)
      return fail(row_error(time_field_,
                            fmt::format("this row repeats the interval {} of unit '{}' from a row "
                                        "too far back to compare; sort the data by time",
                                        local_time(instant, offset_),
                                        unit_name(static_cast<std::size_t>(unit)))));
    if (earlier->instant != instant) return fail(closer_than_interval(*earlier, instant));
    if (earlier->hash != hash) return fail(conflicting_repeat(*earlier));
    repeat = true;
    return true;
  }

  // Two rows of a unit at two times within one interval: the data is finer
  // than the interval says (or a row's time is wrong). Counting one of them
  // would drop the other's value; summing both would break the interval.
  Diagnostic closer_than_interval(const RecentRows::Entry& earlier, std::int64_t instant) const {
    const std::string where =
        earlier.file == file_
            ? fmt::format("line {}", earlier.line)
            : fmt::format("{}:{}", a_.files_[static_cast<std::size_t>(earlier.file)], earlier.line);
    const std::int64_t apart =
        instant > earlier.instant ? instant - earlier.instant : earlier.instant - instant;
    Diagnostic d = row_error(
        time_field_,
        fmt::format("this row falls in the same {} interval as {} ({}), {} apart: the rows are "
                    "closer together than the {} interval",
                    format_duration(state_.interval.seconds), where,
                    local_time(earlier.instant, offset_), format_duration(apart),
                    state_.interval.inferred ? "inferred" : "declared"));
    d.notes.push_back("declare the interval the rows have (`interval:`), or correct the rows' "
                      "times");
    return d;
  }

  // A register's rows only mark their intervals (for the gaps of the
  // source's other columns): readings more often than the interval are fine.
  bool mark_interval(int unit, std::int64_t instant, UnitState& state) {
    if (state_.inferring) {
      PendingRow pending{static_cast<std::size_t>(unit), instant, 0, 0, row_.line, file_, {}, {}};
      state_.pending.push_back(std::move(pending));
      return true;
    }
    if (state_.interval.seconds == 0) return true;
    state.seen.test_and_set((instant - a_.months_.front().start) / state_.interval.seconds,
                            a_.interval_blocks_);
    return within_interval_limit();
  }

  Diagnostic conflicting_repeat(const RecentRows::Entry& earlier) const {
    const std::string where =
        earlier.file == file_
            ? fmt::format("line {}", earlier.line)
            : fmt::format("{}:{}", a_.files_[static_cast<std::size_t>(earlier.file)], earlier.line);
    Diagnostic d = row_error(
        time_field_, fmt::format("this row has the same unit and interval as {} but different "
                                 "values",
                                 where));
    if (state_.interval.inferred)
      d.notes.push_back(fmt::format("the interval {} was inferred from the rows: declare "
                                    "`interval:` if it is shorter",
                                    format_duration(state_.interval.seconds)));
    return d;
  }

  [[gnu::always_inline]] bool within_interval_limit() {
    if (a_.interval_blocks_ <= Aggregation::kMaxIntervalBlocks) return true;
    return fail(row_error(
        time_field_, fmt::format("more than {} intervals with rows are held to find repeats "
                                 "and gaps: declare a longer `interval:`, or split the "
                                 "project or its periods",
                                 Aggregation::kMaxIntervalBlocks * SeenIntervals::block_bits)));
  }

  // While the interval is inferred: repeats by equal timestamp; the rows
  // are marked in the interval bits once it is known (Aggregation::settle_interval).
  bool pending_repeat(int unit, std::int64_t instant, std::uint64_t hash, bool& repeat) {
    const auto key = std::make_pair(static_cast<std::size_t>(unit), instant);
    if (auto found = state_.pending_times.find(key); found != state_.pending_times.end()) {
      const PendingRow& earlier = state_.pending[found->second];
      if (earlier.hash != hash)
        return fail(
            conflicting_repeat({earlier.instant, earlier.hash, earlier.line, earlier.file}));
      repeat = true;
      return true;
    }
    state_.pending_times.emplace(key, state_.pending.size());
    PendingRow pending{static_cast<std::size_t>(unit),
                       instant,
                       source_.marks == TimestampMarks::end ? instant + 1 : instant,
                       hash,
                       row_.line,
                       file_,
                       {},
                       {}};
    for (std::size_t k = 0; k < mapped_.size(); ++k)
      if (mapped_[k].bound >= 0 && cells_[k].status == Cell::Status::value) {
        pending.bounded.emplace_back(k, cells_[k].value);
        pending.columns.push_back(row_.columns[mapped_[k].field]);
      }
    state_.pending.push_back(std::move(pending));
    return true;
  }

  bool equal_time_repeat(std::int64_t instant, std::uint64_t hash, UnitState& state, bool& repeat) {
    auto [it, added] =
        state.times.emplace(instant, RecentRows::Entry{instant, hash, row_.line, file_, instant});
    if (added) {
      if (++state_.equal_times > kMaxEqualTimes)
        return fail(row_error(time_field_, fmt::format("more than {} unevenly spaced timestamps "
                                                       "are held to find repeats: declare "
                                                       "`interval:`",
                                                       kMaxEqualTimes)));
      return true;
    }
    if (it->second.hash != hash) return fail(conflicting_repeat(it->second));
    repeat = true;
    return true;
  }
  static constexpr std::size_t kMaxEqualTimes = 4'000'000;

  // ---- What the row adds.

  [[gnu::always_inline]] bool commit_values(int unit, std::int64_t time, std::int64_t instant,
                                            bool inside) {
    const std::int64_t local_day = floor_div(instant + offset_ * 60, 86400);
    const std::size_t bucket = month_ * a_.width_ + static_cast<std::size_t>(unit);
    const std::size_t day_cell =
        a_.days_kept_ && inside ? static_cast<std::size_t>(local_day - a_.first_day_) * a_.width_ +
                                      static_cast<std::size_t>(unit)
                                : std::string::npos;
    bool row_complete = true;
    for (std::size_t k = 0; k < mapped_.size(); ++k) {
      const Cell& cell = cells_[k];
      const MappedColumn& mc = mapped_[k];
      if (cell.status != Cell::Status::value) {
        row_complete = false;
        columns_[static_cast<std::size_t>(mc.record_slot)][n_] = std::nan("");
        if (inside) note_missing(mc, bucket, cell, day_cell);
        continue;
      }
      UnitState& state = state_.units[static_cast<std::size_t>(unit)];
      if (mc.mapping->cumulative) {
        state.extremes[k].add(cell.value, static_cast<double>(cell.to - cell.from), row_.line,
                              file_);
      } else if (inside) {
        state.extremes[k].add_value(cell.value, row_.line, file_);
      }
      if (mc.mapping->cumulative && !state_.has_record_equations)
        add_register_amount(k, unit, time, local_day, cell, day_cell);
      else if (inside)
        add_value(k, bucket, unit, time, local_day, cell, day_cell);
      columns_[static_cast<std::size_t>(mc.record_slot)][n_] = cell.value;
    }
    if (!inside) return true;
    if (!row_complete && !record_equations_.empty())
      return fail(row_error(0, "this row lacks a value that a per-record equation needs"));
    ++counts_.used;
    ++a_.records_[bucket];
    if (day_cell != std::string::npos) ++a_.daily_records_[day_cell];
    batch_units_[n_] = unit;
    batch_buckets_[n_] = bucket;
    batch_times_[n_] = time;
    batch_lines_[n_] = row_.line;
    if (++n_ == kBatch)
      if (Status flushed = flush(); !flushed) return fail(std::move(flushed).error());
    return true;
  }

  [[gnu::always_inline]] Quality& quality_at(std::size_t bucket, const MappedColumn& mc) {
    return a_.quality_[bucket * a_.aggregated_.size() + mc.aggregated];
  }

  [[gnu::always_inline]] void treated_on(std::size_t day_cell) {
    if (day_cell != std::string::npos) ++a_.daily_treated_[day_cell];
  }

  void note_missing(const MappedColumn& mc, std::size_t bucket, const Cell& cell,
                    std::size_t day_cell) {
    if (cell.status == Cell::Status::empty) {
      quality_at(bucket, mc).empty.add(file_, row_.line);
      treated_on(day_cell);
    } else if (cell.status == Cell::Status::dropped) {
      quality_at(bucket, mc).out_of_range.add(file_, row_.line);
      treated_on(day_cell);
    }
  }

  // A value of the row's own interval.
  [[gnu::always_inline]] void add_value(std::size_t k, std::size_t bucket, int unit,
                                        std::int64_t time, std::int64_t local_day, const Cell& cell,
                                        std::size_t day_cell) {
    const MappedColumn& mc = mapped_[k];
    Quality& quality = quality_at(bucket, mc);
    if (cell.rolled) quality.rollover.add(file_, row_.line);
    if (cell.replaced) quality.replacement.add(file_, row_.line);
    if (cell.above_rating) quality.above_rating.add(file_, row_.line);
    if (cell.rolled || cell.replaced || cell.above_rating) treated_on(day_cell);
    note_value(quality, mc, unit, local_day, cell.value, day_cell);
    add_reading(a_.accumulators_[bucket * a_.aggregated_.size() + mc.aggregated], mc.exact,
                mc.exact_shift, cell.exact, cell.mantissa, cell.decimals, cell.value, time);
    if (day_cell != std::string::npos && a_.daily_index_[mc.aggregated] != std::string::npos)
      a_.daily_values_[day_cell * a_.daily_parameters_.size() + a_.daily_index_[mc.aggregated]] +=
          cell.value;
  }

  // Calibration lapses and the largest value seen, for the treatments.
  [[gnu::always_inline]] void note_value(Quality& quality, const MappedColumn& mc, int unit,
                                         std::int64_t local_day, double value,
                                         std::size_t day_cell) {
    if (const Meter* meter = mc.meters[static_cast<std::size_t>(unit)]) {
      const double error = lapse_error(*meter, local_day);
      if (error > 0) {
        quality.lapsed.add(file_, row_.line);
        quality.lapsed_weighted += error * value;
        treated_on(day_cell);
      }
    }
    note_largest(quality, value);
  }

  // The largest interval value seen, and where (fills project-side gaps).
  [[gnu::always_inline]] void note_largest(Quality& quality, double value) const {
    if (!quality.any_value || value > quality.largest) {
      quality.largest = value;
      quality.largest_line = row_.line;
      quality.largest_file = file_;
    }
    quality.any_value = true;
  }

  // A register difference is placed by the time it covers, [from, to): in
  // the month holding it, shared among the months of one period by time,
  // or, across periods or time outside them, left to the treatments.
  void add_register_amount(std::size_t k, int unit, std::int64_t time, std::int64_t local_day,
                           const Cell& cell, std::size_t day_cell) {
    std::vector<std::pair<std::size_t, std::int64_t>> parts; // month (npos: outside) → seconds
    register_parts(cell.from, cell.to, parts);
    const std::size_t first_month = parts.front().first;
    bool one_period = first_month != std::string::npos;
    for (const auto& [month, seconds] : parts)
      one_period = one_period && month != std::string::npos &&
                   a_.months_[month].period == a_.months_[first_month].period;
    const double total_seconds = static_cast<double>(cell.to - cell.from);
    if (one_period) {
      for (const auto& [month, seconds] : parts) {
        Cell share = cell;
        share.value = cell.value * (static_cast<double>(seconds) / total_seconds);
        share.exact = cell.exact && parts.size() == 1;
        add_value(k, month * a_.width_ + static_cast<std::size_t>(unit), unit, time, local_day,
                  share, parts.size() == 1 ? day_cell : std::string::npos);
      }
      return;
    }
    split_register_amount(k, unit, local_day, cell, parts);
  }

  // The parts of [from, to) in each month of the periods and outside them.
  void register_parts(std::int64_t from, std::int64_t to,
                      std::vector<std::pair<std::size_t, std::int64_t>>& parts) const {
    const std::vector<MonthSlice>& months = a_.months_;
    std::int64_t t = from;
    while (t < to) {
      const std::size_t month = month_of(t);
      std::int64_t end = to;
      if (month != std::string::npos) {
        end = std::min(to, months[month].end);
      } else {
        auto next =
            std::upper_bound(months.begin(), months.end(), t,
                             [](std::int64_t x, const MonthSlice& s) { return x < s.start; });
        if (next != months.end()) end = std::min(to, next->start);
      }
      if (!parts.empty() && parts.back().first == month)
        parts.back().second += end - t;
      else
        parts.emplace_back(month, end - t);
      t = end;
    }
    if (parts.empty()) parts.emplace_back(month_of(from), 0);
  }

  // An amount over an outage across a period boundary: each period's part
  // under each rule, shared among its months by time.
  void split_register_amount(std::size_t k, int unit, std::int64_t local_day, const Cell& cell,
                             const std::vector<std::pair<std::size_t, std::int64_t>>& parts) {
    const MappedColumn& mc = mapped_[k];
    // The time and the most the rating allows in each period (and outside).
    std::map<int, std::pair<std::int64_t, double>> periods; // period (-1: outside) → seconds, most
    for (const auto& [month, seconds] : parts)
      periods[month == std::string::npos ? -1 : a_.months_[month].period].first += seconds;
    double most_total = 0;
    for (auto& [period, part] : periods) {
      part.second = mc.bound >= 0 ? bounds_.most(mc.bound, static_cast<std::size_t>(unit),
                                                 static_cast<double>(part.first))
                                  : std::nan("");
      most_total += part.second;
    }
    const double total_seconds = static_cast<double>(cell.to - cell.from);
    std::vector<int> counted; // the periods whose first month holds the whole difference
    for (const auto& [month, seconds] : parts) {
      if (month == std::string::npos) continue;
      const int period = a_.months_[month].period;
      const auto& [period_seconds, most] = periods[period];
      const double others = most_total - most; // NaN without a rating
      const double least = std::isnan(others) ? 0 : std::max(0.0, cell.value - others);
      const double greatest = std::isnan(most) ? cell.value : std::min(cell.value, most);
      const double in_month = static_cast<double>(seconds) / static_cast<double>(period_seconds);
      Quality& quality = quality_at(month * a_.width_ + static_cast<std::size_t>(unit), mc);
      quality.spans.add(file_, row_.line);
      quality.span_least += least * in_month;
      quality.span_most += greatest * in_month;
      quality.span_by_time += cell.value * static_cast<double>(seconds) / total_seconds;
      if (std::find(counted.begin(), counted.end(), period) == counted.end()) {
        quality.span_whole += cell.value;
        counted.push_back(period);
      }
      quality.span_split_by_time = mc.mapping->split == SpanSplit::time;
      if (cell.rolled) quality.rollover.add(file_, row_.line);
      if (cell.replaced) quality.replacement.add(file_, row_.line);
      if (cell.above_rating) quality.above_rating.add(file_, row_.line);
      note_value(quality, mc, unit, local_day, cell.value, std::string::npos);
    }
  }

  Status flush() {
    EvalFrame frame;
    frame.project = a_.bound_.project.data();
    frame.units = a_.bound_.units.data();
    frame.unit_stride = static_cast<std::size_t>(c_.unit_slots);
    frame.record = column_pointers_.data();
    frame.record_units = batch_units_.data();
    for (std::size_t index : record_equations_) {
      const CompiledParameter& cp = c_.parameters[index];
      double* out = columns_[static_cast<std::size_t>(cp.record_slot)].data();
      evaluate(cp.formula.expr, frame, n_, out);
      for (std::size_t k = 0; k < n_; ++k)
        if (!std::isfinite(out[k]))
          return error_at(Location{file(), static_cast<int>(batch_lines_[k]), 0},
                          fmt::format("per-record equation '{}' gives no value for unit '{}' at {}",
                                      m_.parameters[index].id,
                                      a_.bound_.unit_ids[static_cast<std::size_t>(batch_units_[k])],
                                      local_time(batch_times_[k], offset_)));
    }
    for (std::size_t agg : summarised_) {
      const double* values =
          columns_[static_cast<std::size_t>(a_.aggregated_[agg].record_slot)].data();
      for (std::size_t k = 0; k < n_; ++k)
        a_.accumulators_[batch_buckets_[k] * a_.aggregated_.size() + agg].add(values[k],
                                                                              batch_times_[k]);
    }
    n_ = 0;
    return Ok{};
  }
};

Status Aggregation::read(std::size_t source, CsvReader& reader, RowCounts& counts) {
  if (!sources_[source]) sources_[source] = std::make_unique<SourceState>();
  SourceReading reading(*this, source, reader, counts);
  return reading.run();
}

} // namespace mrv::detail
