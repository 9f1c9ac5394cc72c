#include "wcs/options.hpp"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

#include "wcs/error.hpp"
#include "wcs/format.hpp"

namespace wcs {

OptionSpec OptionSpec::integer(std::string name, long long def, double min, double max, std::string help) {
  OptionSpec s;
  s.name = std::move(name); s.type = OptionType::integer; s.default_value = std::to_string(def);
  s.min = min; s.max = max; s.help = std::move(help);
  return s;
}

OptionSpec OptionSpec::real(std::string name, double def, double min, double max, std::string help,
                            bool min_exclusive, bool max_exclusive) {
  OptionSpec s;
  s.name = std::move(name); s.type = OptionType::real; s.default_value = format_number(def);
  s.min = min; s.max = max; s.min_exclusive = min_exclusive; s.max_exclusive = max_exclusive;
  s.help = std::move(help);
  return s;
}

OptionSpec OptionSpec::boolean(std::string name, bool def, std::string help) {
  OptionSpec s;
  s.name = std::move(name); s.type = OptionType::boolean; s.default_value = def ? "true" : "false";
  s.help = std::move(help);
  return s;
}

OptionSpec OptionSpec::text(std::string name, std::string def, std::string help) {
  OptionSpec s;
  s.name = std::move(name); s.type = OptionType::text; s.default_value = std::move(def); s.help = std::move(help);
  return s;
}

OptionSpec OptionSpec::choice(std::string name, std::string def, std::vector<std::string> choices,
                              std::string help) {
  OptionSpec s;
  s.name = std::move(name); s.type = OptionType::choice; s.default_value = std::move(def);
  s.choices = std::move(choices); s.help = std::move(help);
  return s;
}

std::string OptionSpec::type_name() const {
  switch (type) {
    case OptionType::integer: return "integer";
    case OptionType::real: return "real";
    case OptionType::boolean: return "boolean";
    case OptionType::text: return "text";
    case OptionType::choice: return "choice";
  }
  return "?";
}

std::string OptionSpec::range_text() const {
  if (type == OptionType::choice) {
    std::string out;
    for (std::size_t i = 0; i < choices.size(); ++i) out += (i ? "|" : "") + choices[i];
    return out;
  }
  if (type != OptionType::integer && type != OptionType::real) return {};
  if (std::isinf(min) && std::isinf(max)) return {};
  return fmt::format("{}{}, {}{}", min_exclusive ? '(' : '[', format_number(min), format_number(max),
                     max_exclusive ? ')' : ']');
}

const Options::Value& Options::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) throw std::logic_error("option '" + name + "' was not declared");
  return it->second;
}

long long Options::integer(const std::string& name) const { return std::get<long long>(get(name)); }
double Options::real(const std::string& name) const { return std::get<double>(get(name)); }
bool Options::boolean(const std::string& name) const { return std::get<bool>(get(name)); }
const std::string& Options::text(const std::string& name) const { return std::get<std::string>(get(name)); }

void Options::set(const std::string& name, Value value, std::string canonical_text) {
  values_[name] = std::move(value);
  canonical_[name] = std::move(canonical_text);
}

namespace {

void check_range(const OptionSpec& spec, double v, const std::string& where, const std::string& text) {
  const bool low = spec.min_exclusive ? !(v > spec.min) : !(v >= spec.min);
  const bool high = spec.max_exclusive ? !(v < spec.max) : !(v <= spec.max);
  if (low || high) throw InputError(where + ": " + text + " is outside " + spec.range_text());
}

void parse_into(Options& out, const OptionSpec& spec, const std::string& text, const std::string& where) {
  switch (spec.type) {
    case OptionType::integer: {
      const long long v = parse_integer(text, where);
      check_range(spec, static_cast<double>(v), where, text);
      out.set(spec.name, v, std::to_string(v));
      return;
    }
    case OptionType::real: {
      const double v = parse_number(text, where);
      if (!std::isfinite(v)) throw InputError(where + ": " + text + " is not finite");
      check_range(spec, v, where, text);
      out.set(spec.name, v, format_number(v));
      return;
    }
    case OptionType::boolean: {
      if (text == "true" || text == "1" || text == "yes" || text == "on") { out.set(spec.name, true, "true"); return; }
      if (text == "false" || text == "0" || text == "no" || text == "off") { out.set(spec.name, false, "false"); return; }
      throw InputError(where + ": '" + text + "' is not a boolean (true or false)");
    }
    case OptionType::text:
      out.set(spec.name, text, text);
      return;
    case OptionType::choice:
      for (const auto& c : spec.choices)
        if (c == text) { out.set(spec.name, text, text); return; }
      throw InputError(where + ": '" + text + "' is not one of " + spec.range_text());
  }
}

}  // namespace

Options resolve_options(const std::string& strategy, const std::vector<OptionSpec>& specs,
                        const std::map<std::string, std::string>& given) {
  for (const auto& [name, value] : given) {
    bool known = false;
    for (const auto& s : specs) known = known || s.name == name;
    if (!known) {
      std::string valid;
      for (const auto& s : specs) valid += (valid.empty() ? "" : ", ") + s.name;
      throw InputError("option '" + name + "' (value '" + value + "'): strategy '" + strategy +
                       "' has no such option; valid: " + (valid.empty() ? "none" : valid));
    }
  }
  Options out;
  for (const auto& s : specs) {
    auto it = given.find(s.name);
    const std::string where = "option '" + s.name + "' of strategy '" + strategy + "'";
    parse_into(out, s, it == given.end() ? s.default_value : it->second, where);
  }
  return out;
}

}  // namespace wcs
