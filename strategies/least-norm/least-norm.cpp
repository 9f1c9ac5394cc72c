// `least-norm`: the closed-form minimum-norm solution of sum a[i] W[i] = target,
// W = target * a / |a|^2 (the Moore-Penrose pseudo-inverse of the 1 x N matrix a,
// see Golub & Van Loan, "Matrix Computations", 4th ed., section 5.5). It is the
// floor for any method's error and time on this problem: one pass over the
// coefficients, no sparsity (every W[i] with a[i] != 0 is non-zero).
#include <algorithm>
#include <cmath>
#include <memory>
#include <span>
#include <vector>

#include "wcs/formula.hpp"
#include "wcs/plugin.hpp"

namespace {

class LeastNorm final : public wcs::Strategy {
 public:
  explicit LeastNorm(bool refine) : refine_(refine) {}

  wcs::SolveResult solve(const wcs::Problem& problem, const wcs::SolveOptions&) override {
    const std::span<const double> a = problem.coefficients;
    const std::size_t n = a.size();

    // |a|^2 through a * 2^-e, with 2^e just above max |a[i]|, so that neither huge
    // (1e200) nor tiny (1e-200) coefficients overflow or underflow the squares.
    // Scaling by a power of two is exact: the scaled values are the coefficients'
    // own digits. The problem guarantees max |a[i]| > 1e-8.
    double amax = 0.0;
    for (double x : a) amax = std::max(amax, std::fabs(x));
    int exponent = 0;
    std::frexp(amax, &exponent);
    const double scale = std::ldexp(1.0, -exponent);  // a[i] * scale in (-1, 1)
    double scaled_norm2 = 0.0;                          // |a * scale|^2, in [1/4, N)
    for (double x : a) scaled_norm2 += (x * scale) * (x * scale);

    // W = target * a / |a|^2 = (target * scale / scaled_norm2) * (a * scale).
    const double factor = problem.target * scale / scaled_norm2;
    wcs::SolveResult out;
    out.weights.resize(n);
    for (std::size_t i = 0; i < n; ++i) out.weights[i] = factor * (a[i] * scale);
    out.result = wcs::dot(a, out.weights);
    std::uint64_t evaluations = 1;

    // One step of iterative refinement (Wilkinson): the rounding left in the sum is
    // itself a target, solved the same way; kept only when it lowers the error.
    if (refine_ && out.result != problem.target) {
      const double residual = problem.target - out.result;
      const double correction = residual * scale / scaled_norm2;
      std::vector<double> refined(n);
      for (std::size_t i = 0; i < n; ++i) refined[i] = out.weights[i] + correction * (a[i] * scale);
      const double refined_result = wcs::dot(a, refined);
      ++evaluations;
      if (std::fabs(refined_result - problem.target) < std::fabs(out.result - problem.target)) {
        out.weights = std::move(refined);
        out.result = refined_result;
      }
    }
    out.error = std::fabs(out.result - problem.target);
    out.converged = out.error <= problem.tolerance;
    out.cycles = 1;
    out.evaluations = evaluations;
    return out;
  }

 private:
  bool refine_;
};

void register_least_norm(wcs::Registry& registry) {
  wcs::StrategyInfo info;
  info.name = "least-norm";
  info.family = wcs::Family::peer;
  info.description = "closed-form minimum-norm solution W = target * a / |a|^2: exact in one step, not sparse";
  info.options = {wcs::OptionSpec::boolean(
      "refine", true, "one step of iterative refinement on the rounding residual (kept only if it helps)")};
  registry.add(std::move(info), [](const wcs::Options& options, const wcs::Registry&) {
    return std::make_unique<LeastNorm>(options.boolean("refine"));
  });
}

}  // namespace

WCS_PLUGIN(register_least_norm)
