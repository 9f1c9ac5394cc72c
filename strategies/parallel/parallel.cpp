// `parallel`: each cycle's lines [1, 2^N) split over worker threads that run one of
// the enumeration kernels of src/kernels (option `kernel`, default the fastest).
//
// The lines are cut into chunks whose boundaries depend only on N (never on the
// thread count), workers take chunks from a shared counter, and the per-chunk
// winners are merged in chunk order with kernels::better_of (the winner order of
// algorithm.md, line last). A kernel's value of a line may depend on where its range
// starts (a Gray-code walk accumulates), so fixing the chunks is what makes the
// answer independent of `threads`, not only of the merge order.
//
// The worker threads live as long as the strategy object: created on the first
// solve, reused by every cycle of every solve, joined by the destructor.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "kernels.hpp"
#include "exact_winner.hpp"
#include "wcs/error.hpp"
#include "wcs/formula.hpp"
#include "wcs/plugin.hpp"

namespace {

// Line numbers are 64-bit and the range end 2^N must fit.
constexpr std::size_t kMaxN = wcs::kMaxLineBits;
// Chunks of 2^max(kMinChunkBits, N - kChunkSplitBits) lines: at most 32 chunks, so
// two threads finish within 1/16 of a cycle of each other (every chunk restarts a
// kernel without a bound, which costs the SIMD kernels a scalar pass over a few
// blocks, so fewer chunks are faster), and chunks of at least
// 4096 lines so a worker's hand-off cost (~1 us) stays under a few percent.
constexpr std::size_t kMinChunkBits = 12;
constexpr std::size_t kChunkSplitBits = 5;

/// A fixed set of threads that run one job (a cycle) at a time; the calling thread
/// works too, so `threads` counts it.
class WorkerPool {
 public:
  explicit WorkerPool(unsigned threads) {
    for (unsigned t = 1; t < threads; ++t) workers_.emplace_back([this] { loop(); });
  }
  ~WorkerPool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
  }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  unsigned threads() const { return static_cast<unsigned>(workers_.size()) + 1; }

  /// Runs `task(chunk)` for every chunk in [0, chunks) over all threads; returns when
  /// all are done.
  template <class Task>
  void run(std::size_t chunks, Task& task) {
    if (workers_.empty() || chunks == 1) {
      for (std::size_t c = 0; c < chunks; ++c) task(c);
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = [&task](std::size_t c) { task(c); };
      chunks_ = chunks;
      next_.store(0, std::memory_order_relaxed);
      busy_ = workers_.size();
      ++generation_;
    }
    wake_.notify_all();
    work();
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return busy_ == 0; });
    job_ = nullptr;
  }

 private:
  void work() {
    for (std::size_t c; (c = next_.fetch_add(1, std::memory_order_relaxed)) < chunks_;) job_(c);
  }
  void loop() {
    std::uint64_t seen = 0;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
        if (stop_) return;
        seen = generation_;
      }
      work();
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (--busy_ == 0) done_.notify_one();
      }
    }
  }

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::function<void(std::size_t)> job_;
  std::size_t chunks_ = 0;
  std::atomic<std::size_t> next_{0};
  std::size_t busy_ = 0;
  std::uint64_t generation_ = 0;
  bool stop_ = false;
};

class ParallelSearch final : public wcs::CycleSearch {
 public:
  ParallelSearch(const wcs::kernels::KernelInfo& kernel, unsigned threads) : kernel_(kernel), threads_(threads) {}

  void prepare(const wcs::Problem& problem, const wcs::SolveOptions&) override {
    if (!pool_) pool_ = std::make_unique<WorkerPool>(threads_);
    exact_.prepare(problem.n());
    repaired_ = 0;
  }

  wcs::CycleOutcome search(const wcs::CycleInput& in) override {
    const std::size_t n = in.a.size();
    d_.resize(n);
    dl_.resize(n);
    const double base = wcs::cycle_terms(in.a, in.w, in.wpn, d_);
    for (std::size_t j = 0; j < n; ++j) dl_[j] = d_[n - 1 - j];
    const wcs::kernels::CycleView view{base, dl_, in.target};

    const std::uint64_t end = std::uint64_t{1} << n;  // lines [1, end)
    const std::size_t chunk_bits = std::max(kMinChunkBits, n > kChunkSplitBits ? n - kChunkSplitBits : 0);
    const std::uint64_t chunk = std::uint64_t{1} << std::min(chunk_bits, n);
    const std::size_t chunks = static_cast<std::size_t>(end / chunk);
    best_.assign(chunks, {});
    // Task 0 stages the exact step (its subset sums depend only on d), beside the
    // kernel's chunks rather than after them: it is the cycle's serial part.
    auto task = [&](std::size_t t) {
      if (t == 0) {
        exact_.stage(d_);
        return;
      }
      const std::size_t c = t - 1;
      const std::uint64_t first = std::max<std::uint64_t>(1, c * chunk);
      best_[c] = kernel_.run(view, first, (c + 1) * chunk);
    };
    if (chunks == 1) {
      task(1);  // small N: waking a worker costs more than the whole cycle
    } else {
      pool_->run(chunks + 1, task);
    }
    wcs::kernels::RangeBest best;
    for (const auto& b : best_) best = wcs::kernels::better_of(best, b);

    // The kernel's sums may differ from the bit-exact form in the last bits: the
    // exact step re-evaluates every line within rounding of the kernel's best error
    // (a meet-in-the-middle over the non-zero d, O(2^(N/2))) so the winner, its r and
    // the WPN rule are reference's to the bit.
    const wcs::fast::ExactOutcome exact = exact_.resolve(in, base, d_, best.line);
    repaired_ += exact.line != best.line;

    wcs::CycleOutcome out;
    out.winner = wcs::Combination::from_line(exact.line, n);
    out.result = exact.result;
    out.all_below_target = exact.all_below_target;
    out.evaluated = end - 1;
    return out;
  }

  void finish(wcs::SolveResult& result) override {
    result.notes["kernel"] = kernel_.name;
    result.notes["isa"] = kernel_.isa();
    result.notes["threads"] = std::to_string(pool_ ? pool_->threads() : threads_);
    result.notes["winners_repaired"] = std::to_string(repaired_);
  }

 private:
  const wcs::kernels::KernelInfo& kernel_;
  unsigned threads_;
  std::unique_ptr<WorkerPool> pool_;
  std::vector<double> d_, dl_;
  std::vector<wcs::kernels::RangeBest> best_;
  wcs::fast::ExactWinner exact_;
  std::uint64_t repaired_ = 0;
};

void register_parallel(wcs::Registry& registry) {
  std::vector<std::string> kernels;
  for (const auto& k : wcs::kernels::all()) kernels.emplace_back(k.name);
  kernels.emplace_back("fastest");
  wcs::StrategyInfo info;
  info.name = "parallel";
  info.family = wcs::Family::identical;
  info.description = "each cycle's lines split over persistent threads running an enumeration kernel";
  info.max_n = std::min<std::size_t>(kMaxN, 40);  // 2^40 lines: a cycle takes hours on two cores
  info.memory_bytes = [](std::size_t n, const wcs::Options&) { return wcs::pow2_bytes((n + 1) / 2, 32); };  // exact step
  info.options = {
      wcs::OptionSpec::integer("threads", 0, 0, 256, "worker threads, the caller included; 0: all cores"),
      wcs::OptionSpec::choice("kernel", "fastest", kernels, "enumeration kernel; fastest: the best one on this machine"),
  };
  registry.add(std::move(info), [](const wcs::Options& options, const wcs::Registry&) {
    const std::string& name = options.text("kernel");
    const wcs::kernels::KernelInfo* kernel = name == "fastest" ? &wcs::kernels::fastest() : wcs::kernels::find(name);
    if (kernel == nullptr)  // the core checked the choice; only a table change could get here
      throw wcs::InputError(fmt::format("parallel: kernel: unknown kernel '{}' (known: {})", name, wcs::kernels::names()));
    unsigned threads = static_cast<unsigned>(options.integer("threads"));
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    return wcs::make_cycle_strategy(std::make_unique<ParallelSearch>(*kernel, threads));
  });
}

}  // namespace

WCS_PLUGIN("parallel", "1.0", register_parallel)
