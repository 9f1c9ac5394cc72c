// `parallel`: the kernel cycle search of the other kernel strategies
// (src/search/kernel_search.hpp) with a range runner that splits each cycle's lines
// [1, 2^N) over worker threads running one of the enumeration kernels of src/kernels
// (option `kernel`, default the fastest).
//
// The lines are cut into chunks whose boundaries depend only on N (never on the
// thread count), workers take chunks from a shared counter, and the per-chunk picks
// are merged by the winner order (wcs::line_wins). Each chunk starts from the
// smallest error the finished chunks found, which lets the table kernels skip blocks
// that cannot hold the pick (the bound keeps ties, so the pick does not change). A
// kernel's value of a line may depend on where its range starts (a Gray-code walk
// accumulates), so fixing the chunks is what makes the pick, and with it every note,
// independent of `threads`; the exact step then makes the cycle's decisions
// reference's.
//
// The worker threads live as long as the strategy object: created on the first
// solve, reused by every cycle of every solve, joined by the destructor.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "search/kernel_search.hpp"
#include "wcs/error.hpp"
#include "wcs/formula.hpp"
#include "wcs/plugin.hpp"

namespace {

// As for the other kernel strategies: 2^40 lines a cycle is already long (mitm is
// the strategy for large N).
constexpr std::size_t kMaxN = 40;
// Chunks of 2^max(kMinChunkBits, N - kChunkSplitBits) lines: at most 32 chunks, so
// two threads finish within 1/16 of a cycle of each other, and chunks of at least
// 4096 lines so a worker's hand-off cost (~1 us) stays under a few percent.
constexpr std::size_t kMinChunkBits = 12;
constexpr std::size_t kChunkSplitBits = 5;

/// A fixed set of threads that run one job (a cycle) at a time; the calling thread
/// works too, so `threads` counts it. Between jobs a thread spins for a while before
/// it sleeps: waking a sleeping thread takes tens of microseconds on a virtual
/// machine, a tenth of a cycle at N = 24, and cycles follow each other closely.
class WorkerPool {
 public:
  explicit WorkerPool(unsigned threads) {
    for (unsigned t = 1; t < threads; ++t) workers_.emplace_back([this] { loop(); });
  }
  ~WorkerPool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_.store(true, std::memory_order_release);
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
      busy_.store(workers_.size(), std::memory_order_relaxed);
      generation_.store(generation_.load(std::memory_order_relaxed) + 1, std::memory_order_release);
    }
    wake_.notify_all();
    work();
    auto all_done = [this] { return busy_.load(std::memory_order_acquire) == 0; };
    if (!spin_until(all_done)) {
      std::unique_lock<std::mutex> lock(mutex_);
      done_.wait(lock, all_done);
    }
    job_ = nullptr;
  }

 private:
  static constexpr std::chrono::microseconds kSpin{200};

  // Polls `ready` for up to kSpin; true when it turned true.
  template <class Ready>
  static bool spin_until(Ready&& ready) {
    const auto until = std::chrono::steady_clock::now() + kSpin;
    for (unsigned i = 1;; ++i) {
      if (ready()) return true;
      if (i % 64 == 0 && std::chrono::steady_clock::now() > until) return false;
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
    }
  }

  void work() {
    for (std::size_t c; (c = next_.fetch_add(1, std::memory_order_relaxed)) < chunks_;) job_(c);
  }
  void loop() {
    std::uint64_t seen = 0;
    for (;;) {
      auto wanted = [&] {
        return stop_.load(std::memory_order_acquire) || generation_.load(std::memory_order_acquire) != seen;
      };
      if (!spin_until(wanted)) {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, wanted);
      }
      if (stop_.load(std::memory_order_acquire)) return;
      seen = generation_.load(std::memory_order_acquire);
      work();
      if (busy_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        // Under the lock, so that the caller cannot test busy_ and then miss this.
        std::lock_guard<std::mutex> lock(mutex_);
        done_.notify_one();
      }
    }
  }

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::function<void(std::size_t)> job_;  // written before generation_ is raised
  std::size_t chunks_ = 0;                // likewise
  std::atomic<std::size_t> next_{0};
  std::atomic<std::size_t> busy_{0};
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<bool> stop_{false};
};

/// The range runner: fixed chunks over the pool, the exact step's staging as one
/// more task beside them (it is the cycle's serial part).
class ChunkRunner final : public wcs::search::RangeRunner {
 public:
  explicit ChunkRunner(unsigned threads) : threads_(threads) {}

  void prepare(std::size_t) override {
    if (!pool_) pool_ = std::make_unique<WorkerPool>(threads_);
  }

  wcs::kernels::RangeBest run(wcs::kernels::RangeKernel kernel, const wcs::kernels::CycleView& view, std::uint64_t end,
                              const std::function<void()>& side) override {
    const std::size_t n = view.dl.size();
    const std::size_t chunk_bits = std::max(kMinChunkBits, n > kChunkSplitBits ? n - kChunkSplitBits : 0);
    const std::uint64_t chunk = std::uint64_t{1} << std::min(chunk_bits, n);
    const std::size_t chunks = static_cast<std::size_t>(end / chunk);
    if (chunks == 1) {  // small N: waking a worker costs more than the whole cycle
      const wcs::kernels::RangeBest best = kernel(view, 1, end);
      side();
      return best;
    }
    best_.assign(chunks, {});
    const std::atomic<bool>* stop = wcs::thread_stop();  // the workers poll the caller's stop flag
    // The smallest error the chunks done so far found: a chunk's kernel may skip lines
    // above it (CycleView::bound), never the cycle's pick, so the pick is the same
    // whatever the chunks saw of it.
    std::atomic<double> found{std::numeric_limits<double>::infinity()};
    auto task = [&](std::size_t t) {
      if (t == 0) {
        side();
        return;
      }
      const std::size_t c = t - 1;
      wcs::kernels::CycleView bounded = view;
      bounded.bound = found.load(std::memory_order_relaxed);
      const wcs::kernels::RangeBest b =
          wcs::search::run_in_blocks(kernel, bounded, std::max<std::uint64_t>(1, c * chunk), (c + 1) * chunk, stop);
      best_[c] = b;
      double seen = found.load(std::memory_order_relaxed);
      while (b.line != 0 && b.error < seen && !found.compare_exchange_weak(seen, b.error, std::memory_order_relaxed)) {
      }
    };
    pool_->run(chunks + 1, task);
    wcs::poll_stop();  // the chunks end early when the solve is stopped
    // The chunk picks by the winner order on the kernel's values (an empty chunk has
    // line 0), so the pick does not depend on the thread count.
    wcs::kernels::RangeBest best;
    for (const auto& b : best_)
      if (b.line != 0 &&
          (best.line == 0 || wcs::line_wins(b.error, b.result, b.line, best.error, best.result, best.line)))
        best = b;
    return best;
  }

  void notes(std::map<std::string, std::string>& notes) const override {
    notes["threads"] = std::to_string(pool_ ? pool_->threads() : threads_);
  }

 private:
  unsigned threads_;
  std::unique_ptr<WorkerPool> pool_;
  std::vector<wcs::kernels::RangeBest> best_;
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
  info.memory_bytes = [](std::size_t n, const wcs::Options&) { return wcs::search::ExactStep::memory_bytes(n); };
  info.options = {
      wcs::OptionSpec::integer("threads", 0, 0, 256, "worker threads, the caller included; 0: all cores"),
      wcs::OptionSpec::choice("kernel", "fastest", kernels,
                              "enumeration kernel; fastest: the best one on this machine"),
  };
  registry.add(std::move(info), [](const wcs::Options& options, const wcs::Registry&) {
    const std::string& name = options.text("kernel");
    const wcs::kernels::KernelInfo* kernel = name == "fastest" ? &wcs::kernels::fastest() : wcs::kernels::find(name);
    if (kernel == nullptr)  // the core checked the choice; only a table change could get here
      throw wcs::InputError(
          fmt::format("parallel: kernel: unknown kernel '{}' (known: {})", name, wcs::kernels::names()));
    unsigned threads = static_cast<unsigned>(options.integer("threads"));
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    return wcs::make_cycle_strategy(
        std::make_unique<wcs::search::KernelSearch>(*kernel, std::make_unique<ChunkRunner>(threads)));
  });
}

}  // namespace

WCS_PLUGIN(register_parallel)
