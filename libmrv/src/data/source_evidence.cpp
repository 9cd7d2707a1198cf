#include "data/source_evidence.hpp"

#include "data/text_number.hpp"
#include "data/timestamp.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <cmath>

namespace mrv::detail {
namespace {

// Full-width ASCII (U+FF01..U+FF5E) and a few Japanese bracket and unit
// characters, as CP932 exports write them, turned into ASCII.
std::string fold_header(std::string_view text) {
  static const std::array<std::pair<std::string_view, std::string_view>, 14> words = {{
      {"キロワット時", "kWh"},
      {"メガワット時", "MWh"},
      {"ワット時", "Wh"},
      {"キロワット", "kW"},
      {"メガワット", "MW"},
      {"キログラム", "kg"},
      {"立方メートル", "m3"},
      {"リットル", "L"},
      {"℃", "degC"},
      {"㎾", "kW"},
      {"㎿", "MW"},
      {"㎥", "m3"},
      {"㎏", "kg"},
      {"　", " "},
  }};
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    // U+FF01..U+FF3F is EF BC 81..BF, U+FF40..U+FF5E is EF BD 80..9E.
    if (c == 0xEF && i + 2 < text.size()) {
      const auto b1 = static_cast<unsigned char>(text[i + 1]);
      const auto b2 = static_cast<unsigned char>(text[i + 2]);
      if ((b1 == 0xBC && b2 >= 0x81 && b2 <= 0xBF) || (b1 == 0xBD && b2 >= 0x80 && b2 <= 0x9E)) {
        out += static_cast<char>(0x21 + (b1 == 0xBC ? b2 - 0x81 : b2 - 0x80 + 0x3F));
        i += 3;
        continue;
      }
    }
    // 【】 and 〔〕 are brackets too.
    if (text.substr(i, 3) == "【" || text.substr(i, 3) == "〔") {
      out += '[';
      i += 3;
      continue;
    }
    if (text.substr(i, 3) == "】" || text.substr(i, 3) == "〕") {
      out += ']';
      i += 3;
      continue;
    }
    bool replaced = false;
    for (const auto& [word, ascii] : words)
      if (text.substr(i, word.size()) == word) {
        out += ascii;
        i += word.size();
        replaced = true;
        break;
      }
    if (!replaced) out += text[i++];
  }
  return out;
}

// The spellings of units that exports write at the end of a header, in
// any case ("kwh", "KWH"), with the unit each means.
std::optional<Unit> common_unit(std::string_view word) {
  static constexpr std::array<std::string_view, 26> units = {
      "Wh",   "kWh",  "MWh",  "GWh",  "kW",   "MW",   "kVA",   "MVA", "kVAh",
      "J",    "kJ",   "MJ",   "GJ",   "TJ",   "kg",   "m3",    "Nm3", "kL",
      "degC", "USRt", "kcal", "Mcal", "Gcal", "tCO2", "kgCO2", "kNm3"};
  for (std::string_view u : units) {
    if (u.size() != word.size()) continue;
    bool same = true;
    for (std::size_t k = 0; k < u.size(); ++k)
      same = same && std::tolower(static_cast<unsigned char>(u[k])) ==
                         std::tolower(static_cast<unsigned char>(word[k]));
    if (same) return parse_unit(u);
  }
  return std::nullopt;
}

// "千kWh" (thousand kWh) is MWh; "MWh" stays.
std::optional<Unit> bracketed_unit(std::string_view text) {
  while (!text.empty() && text.front() == ' ')
    text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ')
    text.remove_suffix(1);
  if (text.starts_with("千kWh") && text.size() == std::string_view("千kWh").size())
    return parse_unit("MWh");
  if (std::optional<Unit> u = common_unit(text)) return u;
  return parse_unit(text);
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

} // namespace

std::optional<Unit> unit_named_in_header(std::string_view header) {
  const std::string text = fold_header(header);
  // Text in the last brackets: "(kWh)", "[MWh]".
  for (auto [open, close] : {std::pair{'(', ')'}, std::pair{'[', ']'}}) {
    const std::size_t end = text.rfind(close);
    const std::size_t start = end == std::string::npos ? end : text.rfind(open, end);
    if (start != std::string::npos && end > start + 1)
      if (std::optional<Unit> u =
              bracketed_unit(std::string_view(text).substr(start + 1, end - start - 1)))
        return u;
  }
  // The last word: "energy_kWh", "Energy kWh", "kWh".
  const std::size_t split = text.find_last_of(" _-:");
  const std::string_view word = split == std::string::npos
                                    ? std::string_view(text)
                                    : std::string_view(text).substr(split + 1);
  return common_unit(word);
}

bool same_reading(const Unit& a, const Unit& b) {
  return same_dimension(a, b) && conversion_factor(a, b) == 1.0 && a.offset == b.offset;
}

void DecimalEvidence::add(std::string_view text, std::int64_t line, int column,
                          std::string_view row) {
  const std::size_t point = text.find('.');
  if (point == std::string_view::npos) return; // a whole number settles nothing
  std::size_t digits = 0;
  while (point + 1 + digits < text.size() && is_digit(text[point + 1 + digits]))
    ++digits;
  if (digits != 3) {
    ++other_decimals_;
    return;
  }
  if (three_decimals_++ == 0) {
    line_ = line;
    column_ = column;
    text_ = std::string(text);
    row_ = std::string(row);
  }
}

std::string number_hint(std::string_view text, char decimal_point, char thousands_separator) {
  // Digits grouped in threes by one mark, at least twice: "1.234.567", "1,234,567".
  for (char mark : {'.', ',', ' ', '\''}) {
    if (mark == thousands_separator) continue;
    std::size_t groups = 0, k = 0;
    while (k < text.size() && (is_digit(text[k]) || text[k] == '-' || text[k] == '+'))
      ++k;
    bool grouped = k > 0 && k <= 4;
    while (grouped && k < text.size() && text[k] == mark) {
      std::size_t digits = 0;
      while (k + 1 + digits < text.size() && is_digit(text[k + 1 + digits]))
        ++digits;
      grouped = digits == 3;
      k += 1 + digits;
      ++groups;
    }
    if (grouped && groups >= 2)
      return fmt::format(" (it looks like digits grouped in thousands by '{}': declare "
                         "`thousands: \"{}\"`{})",
                         mark, mark, mark == '.' ? " and `decimal: \",\"`" : "");
  }
  if (text.find(',') != std::string_view::npos && decimal_point == '.' && thousands_separator == 0)
    return " (declare `decimal: \",\"` for a decimal comma, or `thousands: \",\"` if it groups "
           "thousands)";
  if (text.find('.') != std::string_view::npos && decimal_point != '.' &&
      thousands_separator != '.')
    return fmt::format(" (the source declares `decimal: \"{}\"`; a '.' is read only as a declared "
                       "thousands separator)",
                       decimal_point);
  return "";
}

char delimiter_in_header(std::string_view header, char declared) {
  for (char candidate : {';', '\t', '|', ','})
    if (candidate != declared && header.find(candidate) != std::string_view::npos) return candidate;
  return 0;
}

bool valid_utf8(std::string_view text) {
  for (std::size_t k = 0; k < text.size();) {
    const auto c = static_cast<unsigned char>(text[k]);
    const std::size_t extra = c < 0x80             ? 0
                              : (c & 0xE0) == 0xC0 ? 1
                              : (c & 0xF0) == 0xE0 ? 2
                              : (c & 0xF8) == 0xF0 ? 3
                                                   : 4;
    if (extra == 4 || k + extra >= text.size() + (extra == 0 ? 1 : 0)) return false;
    for (std::size_t j = 1; j <= extra; ++j)
      if ((static_cast<unsigned char>(text[k + j]) & 0xC0) != 0x80) return false;
    k += extra + 1;
  }
  return true;
}

std::string guess_timestamp_format(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  if (std::optional<double> serial = parse_number(text);
      serial && *serial >= 61 && *serial < 2958466)
    return "excel";
  // Groups of digits and what separates them.
  std::vector<std::string_view> groups;
  std::vector<std::string> separators{""};
  for (std::size_t k = 0; k < text.size();) {
    if (is_digit(text[k])) {
      std::size_t start = k;
      while (k < text.size() && is_digit(text[k]))
        ++k;
      groups.push_back(text.substr(start, k - start));
      separators.emplace_back();
    } else {
      separators.back() += text[k++];
    }
  }
  if (groups.size() < 3 || groups.size() > 6 || !separators.front().empty() ||
      !separators.back().empty())
    return "";
  std::vector<std::string> orders;
  if (groups[0].size() == 4)
    orders = {"Ymd"};
  else if (groups[2].size() == 4)
    orders = {"dmY", "mdY"};
  for (const std::string& order : orders) {
    std::string pattern;
    for (std::size_t g = 0; g < groups.size(); ++g) {
      pattern += separators[g];
      pattern += '%';
      pattern += g < 3 ? order[g] : "HMS"[g - 3];
    }
    if (parse_timestamp_pattern(text, pattern, 0)) return pattern;
  }
  return "";
}

} // namespace mrv::detail
