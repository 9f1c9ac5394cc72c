// `adamw`: the comparator of the user's document. AdamW (Loshchilov & Hutter,
// "Decoupled Weight Decay Regularization", ICLR 2019, Algorithm 2, with the
// schedule multiplier fixed at 1 as in PyTorch's torch.optim.AdamW) minimising
// the loss (sum_i a[i] W[i] - target)^2 from W = 1/N. Its gradient is
// 2 (s - target) a, with s = sum_i a[i] W[i]. Weight decay is decoupled: it shrinks
// the weights directly (W -= lr * weight_decay * W) instead of entering the gradient.
//
// A step costs O(N): one pass for s, one for the update. The answer is dense (every
// weight moves), which is the contrast with WCS's sparse answers.
#include <cmath>
#include <memory>
#include <span>
#include <vector>

#include "wcs/formula.hpp"
#include "wcs/plugin.hpp"

namespace {

struct Hyper {
  double lr, beta1, beta2, eps, weight_decay;
  long long max_steps;  ///< 0: the problem's max_iter
};

class AdamW final : public wcs::Strategy {
 public:
  explicit AdamW(Hyper h) : h_(h) {}

  wcs::SolveResult solve(const wcs::Problem& problem, const wcs::SolveOptions& options) override {
    const std::span<const double> a = problem.coefficients;
    const std::size_t n = a.size();
    const long long max_steps = h_.max_steps > 0 ? h_.max_steps : problem.max_iter;

    wcs::SolveResult out;
    out.weights.assign(n, 1.0 / static_cast<double>(n));
    std::vector<double> m(n, 0.0), v(n, 0.0);  // first and second moment estimates
    double s = wcs::dot(a, out.weights);
    double beta1_t = 1.0, beta2_t = 1.0;       // beta^t for the bias corrections
    long long step = 0;
    bool finite = std::isfinite(s);

    // The stop test runs on every iterate, the initial one included, so a start
    // that already meets the tolerance costs 0 steps.
    while (finite && std::fabs(s - problem.target) > problem.tolerance && step < max_steps) {
      if ((step & 0x3ff) == 0) wcs::poll_stop(options);  // every 1024 steps: Ctrl-C in Python
      ++step;
      beta1_t *= h_.beta1;
      beta2_t *= h_.beta2;
      const double scale = 2.0 * (s - problem.target);  // d loss / d W[i] = scale * a[i]
      const double c1 = 1.0 - beta1_t, c2 = 1.0 - beta2_t;
      const double decay = 1.0 - h_.lr * h_.weight_decay;
      for (std::size_t i = 0; i < n; ++i) {
        const double g = scale * a[i];
        m[i] = h_.beta1 * m[i] + (1.0 - h_.beta1) * g;
        v[i] = h_.beta2 * v[i] + (1.0 - h_.beta2) * g * g;
        const double m_hat = m[i] / c1, v_hat = v[i] / c2;
        out.weights[i] = out.weights[i] * decay - h_.lr * m_hat / (std::sqrt(v_hat) + h_.eps);
      }
      s = wcs::dot(a, out.weights);
      finite = std::isfinite(s);
    }

    out.result = s;
    out.error = std::fabs(s - problem.target);
    out.converged = finite && out.error <= problem.tolerance;
    out.cycles = step;
    out.evaluations = static_cast<std::uint64_t>(step);
    out.notes["steps"] = std::to_string(step);
    out.notes["max_steps"] = std::to_string(max_steps);
    // Gradients of huge problems (|a| * |s - target| near 1e154) overflow double:
    // say so rather than report a NaN as an answer.
    if (!finite) out.notes["stopped"] = "non-finite sum (gradient overflow)";
    return out;
  }

 private:
  Hyper h_;
};

void register_adamw(wcs::Registry& registry) {
  using wcs::OptionSpec;
  wcs::StrategyInfo info;
  info.name = "adamw";
  info.family = wcs::Family::peer;
  info.description = "AdamW (decoupled weight decay) on (sum a[i] W[i] - target)^2 from W = 1/N; dense answer";
  info.options = {
      OptionSpec::real("lr", 0.01, 0.0, 1e6, "learning rate (step size), > 0", true),
      OptionSpec::real("beta1", 0.9, 0.0, 1.0, "decay of the first-moment estimate, in [0, 1)", false, true),
      OptionSpec::real("beta2", 0.999, 0.0, 1.0, "decay of the second-moment estimate, in [0, 1)", false, true),
      OptionSpec::real("eps", 1e-8, 0.0, 1.0, "added to sqrt(v) in the denominator, > 0", true),
      OptionSpec::real("weight_decay", 0.01, 0.0, 1e6, "decoupled weight decay (lr * weight_decay per step)"),
      OptionSpec::integer("max_steps", 10000, 0, 1e9, "most steps; 0: the problem's max_iter"),
  };
  registry.add(std::move(info), [](const wcs::Options& o, const wcs::Registry&) {
    return std::make_unique<AdamW>(Hyper{o.real("lr"), o.real("beta1"), o.real("beta2"), o.real("eps"),
                                         o.real("weight_decay"), o.integer("max_steps")});
  });
}

}  // namespace

WCS_PLUGIN(register_adamw)
