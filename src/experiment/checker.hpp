// The checker of experiment files: every problem is collected as a message
// "file:line:col: key: message" instead of stopping, so one pass reports every
// problem of the file (parse_plan throws them together as an ExperimentError).
#pragma once
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "experiment/limits.hpp"
#include "wcs/format.hpp"

namespace wcs::experiment {

/// Offset of the first byte of `text` that is not UTF-8 text (an invalid sequence, an
/// overlong form, a surrogate, or a control character other than tab, line feed and
/// carriage return), or std::string::npos.
std::size_t invalid_text_at(std::string_view text);

inline std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

// Thrown by Checker::error at the kCountedErrors-th error: checking stops there (parse_plan
// throws what was collected).
struct TooManyErrors {};

// Collects errors with positions: the first kShownErrors as messages, every one in
// `count` (a small file can repeat one bad entry through aliases a million times), up
// to kCountedErrors, where checking stops.
struct Checker {
  std::string file;
  std::vector<std::string> errors;  // the first kShownErrors
  std::size_t count = 0;            // every error found

  void error(const YAML::Mark& m, const std::string& key, const std::string& message) {
    ++count;
    if (errors.size() < kShownErrors)
      errors.push_back(fmt::format("{}:{}:{}: {}: {}", file, m.line + 1, m.column + 1, key, message));
    if (count >= kCountedErrors) throw TooManyErrors{};
  }
  bool ok() const { return count == 0; }
  ExperimentError failure() const { return ExperimentError(errors, count); }
  void error(const YAML::Node& node, const std::string& key, const std::string& message) { error(node.Mark(), key, message); }

  // Reports keys of `map` not in `valid`; false when `map` is not a map.
  bool keys(const YAML::Node& map, const std::string& path, const std::vector<std::string>& valid) {
    if (!map.IsMap()) {
      error(map, path, "expected a mapping with keys " + join(valid, ", "));
      return false;
    }
    for (auto it = map.begin(); it != map.end(); ++it) {
      const std::string k = it->first.Scalar();
      if (std::find(valid.begin(), valid.end(), k) == valid.end())
        error(it->first.Mark(), path.empty() ? k : path + "." + k, "unknown key (valid keys: " + join(valid, ", ") + ")");
    }
    return true;
  }

  std::optional<std::string> text(const YAML::Node& node, const std::string& key) {
    if (!node.IsScalar()) {
      error(node, key, "expected a single value");
      return std::nullopt;
    }
    // Escapes ("\ud800", "\x01") can make text the file itself does not contain.
    if (invalid_text_at(node.Scalar()) != std::string::npos) {
      error(node, key, "the value is not UTF-8 text (or holds control characters)");
      return std::nullopt;
    }
    return node.Scalar();
  }

  std::optional<double> number(const YAML::Node& node, const std::string& key, bool finite = true) {
    auto t = text(node, key);
    if (!t) return std::nullopt;
    double v = 0;
    try {
      v = parse_number(*t, key);
    } catch (const InputError&) {
      error(node, key, "'" + *t + "' is not a number");
      return std::nullopt;
    }
    if (finite && !std::isfinite(v)) {
      error(node, key, "'" + *t + "' is not a finite number");
      return std::nullopt;
    }
    return v;
  }

  std::optional<long long> integer(const YAML::Node& node, const std::string& key, long long min,
                                   long long max = std::numeric_limits<long long>::max()) {
    auto t = text(node, key);
    if (!t) return std::nullopt;
    const std::optional<long long> parsed = to_integer(*t);
    if (!parsed) {
      error(node, key, "'" + *t + "' is not an integer");
      return std::nullopt;
    }
    const long long v = *parsed;
    if (v < min) {
      error(node, key, fmt::format("{} is below the smallest allowed value {}", v, min));
      return std::nullopt;
    }
    if (v > max) {
      error(node, key, fmt::format("{} is above the largest allowed value {}", v, max));
      return std::nullopt;
    }
    return v;
  }

  std::optional<std::uint64_t> seed(const YAML::Node& node, const std::string& key) {
    auto t = text(node, key);
    if (!t) return std::nullopt;
    auto v = to_seed(*t);
    if (!v) error(node, key, "'" + *t + "' is not a seed (" + seed_rule() + ")");
    return v;
  }

  std::optional<bool> boolean(const YAML::Node& node, const std::string& key) {
    auto t = text(node, key);
    if (!t) return std::nullopt;
    if (*t == "true") return true;
    if (*t == "false") return false;
    error(node, key, "'" + *t + "' is not true or false");
    return std::nullopt;
  }

  // A scalar or a non-empty sequence of scalars, each checked by `one`.
  template <class T, class F>
  std::optional<std::vector<T>> list(const YAML::Node& node, const std::string& key, F one) {
    std::vector<T> out;
    if (node.IsSequence()) {
      if (node.size() == 0) {
        error(node, key, "empty list");
        return std::nullopt;
      }
      bool ok = true;
      for (std::size_t i = 0; i < node.size(); ++i) {
        auto v = one(node[i], fmt::format("{}[{}]", key, i));
        if (v) out.push_back(*v); else ok = false;
      }
      if (!ok) return std::nullopt;
      return out;
    }
    auto v = one(node, key);
    if (!v) return std::nullopt;
    out.push_back(*v);
    return out;
  }
};

/// Non-UTF-8 text, duplicate keys, nesting deeper than kMaxNesting and a second
/// document, each with its position; false when the text cannot be read as YAML of
/// one document.
bool check_structure(Checker& c, const std::string& text);

/// The size of the plan from the sizes of its sweeps alone (every field that sweeps:
/// strategies' params, problems' n, seeds, max_iter and tolerance, fixed coefficient
/// lists), before any value is read or anything expanded: false, with the error, when
/// the runs exceed kMaxRuns, the coefficients kMaxCoefficients or the memory the plan
/// would take what this process may still allocate.
bool check_size(Checker& c, const YAML::Node& root);

}  // namespace wcs::experiment
