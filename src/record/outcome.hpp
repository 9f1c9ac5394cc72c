// Accuracy and agreement of results, defined once: every table and comparison that
// says whether two answers agree, or how far one is from the exact one, asks here.
#pragma once
#include <span>

#include "record/record.hpp"

namespace wcs::record {

/// Relative distance within which two finite results count as the same answer.
inline constexpr double kAgreementTolerance = 1e-9;

/// Whether `value` is the same answer as `exact`, for any doubles: equal numbers
/// agree (the same infinity too); a NaN agrees with nothing; a finite value never
/// agrees with an infinite one, however large; two finite values agree within
/// kAgreementTolerance * max(1, |exact|) (computed without overflow).
bool same_value(double value, double exact);

/// Whether a run's answer agrees with the exact answer on the same problem instance:
/// the same weights (element by element, as numbers), or results that are the same
/// value (same_value). Only results count: a record without one never agrees.
bool agrees(const RunRecord& run, const RunRecord& exact);

/// How much larger a run's error is than the exact one: 0 when they are equal (the
/// same infinity too), NaN when either is NaN, otherwise their difference (infinite
/// when exactly one is infinite).
double error_gap(double error, double exact_error);

}  // namespace wcs::record
