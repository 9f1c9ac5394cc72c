// Text forms of numbers, weights and combinations shared by every output.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <vector>
#include <string>

namespace wcs {

/// Shortest decimal text that reads back to the same double ("inf", "-inf", "nan"
/// for non-finite values).
std::string format_number(double x);

/// Weights joined by ';' (one CSV field without quoting), each as format_number.
std::string format_weights(std::span<const double> w);

/// Parses a whole string as a double (no trailing characters); nullopt-like: throws
/// InputError naming `field` when the text is not a number.
double parse_number(const std::string& text, const std::string& field);

/// The whole string as an integer ("12", "-3"; not "2.5", "", "7x"), or nullopt.
std::optional<long long> to_integer(const std::string& text);

/// Same, throwing InputError "FIELD: 'TEXT' is not an integer" when it is not one.
long long parse_integer(const std::string& text, const std::string& field);

/// The rule for every seed (`wcs solve --seed`, an experiment's `seeds`): an integer
/// from 0 to 2^63 - 1. nullopt when `text` is not one.
std::optional<std::uint64_t> to_seed(const std::string& text);

/// What a seed must be, for messages: "an integer from 0 to 9223372036854775807".
std::string seed_rule();

/// to_seed, throwing InputError "FIELD: 'TEXT' is not a seed (an integer from 0 to ...)".
std::uint64_t parse_seed(const std::string& text, const std::string& field);

/// The items of a list separated by `separator`, empty ones included ("a,,b" gives
/// a, "", b; "" gives one empty item).
std::vector<std::string> split_list(const std::string& text, char separator = ',');

/// Parses "A,B,C" into doubles; an empty list or an empty item throws InputError
/// naming `field`.
std::vector<double> parse_number_list(const std::string& text, const std::string& field);

}  // namespace wcs
