// Strategy options: each strategy declares them (name, type, default, range, help);
// the core turns the text values a user gave into checked, typed values.
#pragma once
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace wcs {

enum class OptionType { integer, real, boolean, text, choice };

/// Declaration of one option. Numbers have an inclusive or exclusive range.
struct OptionSpec {
  std::string name;
  OptionType type = OptionType::real;
  std::string default_value;          ///< as text, checked like a user's value
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_exclusive = false;
  bool max_exclusive = false;
  std::vector<std::string> choices;   ///< for OptionType::choice
  std::string help;                   ///< one line

  static OptionSpec integer(std::string name, long long def, double min, double max, std::string help);
  static OptionSpec real(std::string name, double def, double min, double max, std::string help,
                         bool min_exclusive = false, bool max_exclusive = false);
  static OptionSpec boolean(std::string name, bool def, std::string help);
  static OptionSpec text(std::string name, std::string def, std::string help);
  static OptionSpec choice(std::string name, std::string def, std::vector<std::string> choices, std::string help);

  /// "integer", "real", "boolean", "text" or "choice".
  std::string type_name() const;
  /// The range or the choices as text ("[0, 1024]", "(0, 1]", "importance|random"), empty if none.
  std::string range_text() const;
};

/// Checked option values of one strategy, defaults filled in. Accessors throw
/// std::logic_error for a name the strategy did not declare (a plugin bug).
class Options {
 public:
  using Value = std::variant<long long, double, bool, std::string>;

  long long integer(const std::string& name) const;
  double real(const std::string& name) const;
  bool boolean(const std::string& name) const;
  const std::string& text(const std::string& name) const;  ///< text and choice options

  /// Every option in canonical text form (for records and reports).
  const std::map<std::string, std::string>& canonical() const { return canonical_; }

  void set(const std::string& name, Value value, std::string canonical_text);

 private:
  const Value& get(const std::string& name) const;
  std::map<std::string, Value> values_;
  std::map<std::string, std::string> canonical_;
};

/// Checks `given` (name -> text) against `specs` for strategy `strategy`: an unknown
/// name (the message lists the valid ones), a value of the wrong type or out of range
/// throws InputError naming the option and the value. Returns all options with
/// defaults for those not given.
Options resolve_options(const std::string& strategy, const std::vector<OptionSpec>& specs,
                        const std::map<std::string, std::string>& given);

}  // namespace wcs
