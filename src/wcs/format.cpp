#include "wcs/format.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <limits>
#include <string>

#include "wcs/error.hpp"

namespace wcs {

std::string format_number(double x) { return fmt::format("{}", x); }

std::string format_weights(std::span<const double> w) {
  std::string out;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (i) out += ';';
    out += format_number(w[i]);
  }
  return out;
}

double parse_number(const std::string& text, const std::string& field) {
  const char* begin = text.c_str();
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(begin, &end);
  if (text.empty() || end == begin || *end != '\0')
    throw InputError(field + ": '" + text + "' is not a number");
  if (errno == ERANGE && (value > 1.0 || value < -1.0))
    throw InputError(field + ": '" + text + "' is out of the range of a double");
  return value;
}

std::optional<long long> to_integer(const std::string& text) {
  std::size_t used = 0;
  long long value = 0;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (text.empty() || used != text.size()) return std::nullopt;
  return value;
}

long long parse_integer(const std::string& text, const std::string& field) {
  if (auto value = to_integer(text)) return *value;
  throw InputError(field + ": '" + text + "' is not an integer");
}

std::optional<std::uint64_t> to_seed(const std::string& text) {
  const std::optional<long long> value = to_integer(text);
  if (!value || *value < 0) return std::nullopt;
  return static_cast<std::uint64_t>(*value);
}

std::string seed_rule() { return fmt::format("an integer from 0 to {}", std::numeric_limits<long long>::max()); }

std::uint64_t parse_seed(const std::string& text, const std::string& field) {
  if (auto value = to_seed(text)) return *value;
  throw InputError(field + ": '" + text + "' is not a seed (" + seed_rule() + ")");
}

std::vector<std::string> split_list(const std::string& text, char separator) {
  std::vector<std::string> items;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = text.find(separator, start);
    items.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) return items;
    start = end + 1;
  }
}

std::vector<double> parse_number_list(const std::string& text, const std::string& field) {
  if (text.empty()) throw InputError(field + ": the list is empty");
  std::vector<double> values;
  for (const std::string& item : split_list(text))
    values.push_back(parse_number(item, field + "[" + std::to_string(values.size()) + "]"));
  return values;
}

}  // namespace wcs
