#include "search/four_list.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>

#include "wcs/strategy.hpp"

namespace wcs::search {
namespace {

// The sums of two lists, every pair, in increasing (or decreasing) order: a heap with
// one node per entry of the small list `first`, holding the next run of equal sums of
// the big list `second` to pair it with. Runs make ties cheap: a pair of an entry
// and a run stands for every subset of the run.
class PairStream {
 public:
  PairStream(const SubsetSums& first, const SubsetSums& second, bool ascending)
      : first_(first), second_(second), ascending_(ascending) {
    for (std::size_t j = 0; j < second.sum.size(); ++j)
      if (j == 0 || second.sum[j] != second.sum[j - 1]) runs_.push_back(static_cast<std::uint32_t>(j));
    runs_.push_back(static_cast<std::uint32_t>(second.sum.size()));
    const std::size_t n = first.sum.size();
    const std::uint32_t start = ascending ? 0 : static_cast<std::uint32_t>(runs_.size() - 2);
    heap_.reserve(n);
    for (std::size_t a = 0; a < n; ++a)
      heap_.push_back({first.sum[a] + second.sum[runs_[start]], static_cast<std::uint32_t>(a), start});
    for (std::size_t k = n / 2; k-- > 0;) sift_down(k);
  }
  bool empty() const { return heap_.empty(); }
  double peek() const { return heap_.front().sum; }
  // Takes the next pair of an entry of `first` and a run of `second`: its sum, and
  // hands `visit` the key of every subset it stands for (smallest first when the
  // lists are sorted by (sum, key)) until `visit` returns false.
  template <class Visit>
  double pop(Visit&& visit) {
    Node& top = heap_.front();
    const double sum = top.sum;
    const std::uint64_t a_key = first_.key[top.a];
    for (std::uint32_t j = runs_[top.b]; j < runs_[top.b + 1] && visit(a_key | second_.key[j]); ++j) {}
    const bool more = ascending_ ? top.b + 2 < runs_.size() : top.b > 0;
    if (more) {
      top.b = ascending_ ? top.b + 1 : top.b - 1;
      top.sum = first_.sum[top.a] + second_.sum[runs_[top.b]];
    } else {
      top = heap_.back();
      heap_.pop_back();
    }
    if (!heap_.empty()) sift_down(0);
    return sum;
  }
  /// Pairs this stream produces in all (entries of first times runs of second).
  std::uint64_t pairs() const { return first_.sum.size() * (runs_.size() - 1); }

 private:
  struct Node {
    double sum;
    std::uint32_t a, b;  // entry of first, run of second
  };
  bool before(const Node& x, const Node& y) const { return ascending_ ? x.sum < y.sum : x.sum > y.sum; }
  void sift_down(std::size_t at) {
    const std::size_t n = heap_.size();
    const Node moving = heap_[at];
    for (;;) {
      std::size_t child = 2 * at + 1;
      if (child >= n) break;
      if (child + 1 < n && before(heap_[child + 1], heap_[child])) ++child;
      if (!before(heap_[child], moving)) break;
      heap_[at] = heap_[child];
      at = child;
    }
    heap_[at] = moving;
  }

  const SubsetSums& first_;
  const SubsetSums& second_;
  bool ascending_;
  std::vector<std::uint32_t> runs_;  // start of each run of `second`, then its size
  std::vector<Node> heap_;
};

// All subsets of one half with one sum: the smallest and second smallest keys, and
// (unless the arithmetic is exact) every key.
struct Run {
  double sum = 0.0;
  std::uint64_t first = 0, second = 0;
  std::size_t count = 0;
  std::vector<std::uint64_t> members;
  void add(std::uint64_t key, bool keep_members) {
    if (keep_members) members.push_back(key);
    if (count == 0 || key < first) {
      second = first;
      first = key;
    } else if (count == 1 || key < second) {
      second = key;
    }
    ++count;
  }
  bool has_second() const { return count > 1; }
};

// Takes the next run (every subset of the next sum) from a stream. With exact sums
// only the two smallest keys matter: each pair hands over its two smallest.
void next_run(PairStream& stream, Run& run, bool keep_members, std::size_t max_members) {
  run.count = 0;
  run.members.clear();
  std::size_t taken = 0;
  auto visit = [&](std::uint64_t key) {
    if (keep_members && run.members.size() >= max_members) throw CandidateOverflow{};
    run.add(key, keep_members);
    return keep_members || ++taken < 2;
  };
  run.sum = stream.pop(visit);
  while (!stream.empty() && stream.peek() == run.sum) {
    taken = 0;
    stream.pop(visit);
  }
}

}  // namespace

void prune(std::vector<FourListCandidate>& candidates, double bar, std::size_t& limit) {
  if (candidates.size() <= limit) return;
  std::erase_if(candidates, [&](const FourListCandidate& c) { return c.error > bar; });
  // Amortised: when most candidates stay (lines that tie by the thousand), prune again
  // only after the list has doubled.
  if (candidates.size() > limit / 2) limit *= 2;
}

std::vector<FourListCandidate> four_list_candidates(const SubsetSums (&q)[4], double base, double target, double pad,
                                                    bool exact, std::optional<std::uint64_t> zero_key,
                                                    std::size_t max_candidates) {
  PairStream up(q[0], q[1], true);     // A + B, increasing
  PairStream down(q[2], q[3], false);  // C + D, decreasing
  const bool members = !exact;
  if (exact) pad = 0.0;
  std::deque<Run> window;  // C + D runs that may still pair within the bar, decreasing
  std::vector<FourListCandidate> out;
  double best = std::numeric_limits<double>::infinity();
  std::size_t limit = 4096;
  auto bar = [&] { return best + pad; };
  // Room for one more candidate: past the cap, those above the bar go; when more than
  // half the cap stays (lines tied by the million), the caller decides otherwise.
  auto make_room = [&] {
    if (out.size() < max_candidates) return;
    std::erase_if(out, [&](const FourListCandidate& c) { return c.error > bar(); });
    if (out.size() > max_candidates / 2) throw CandidateOverflow{};
  };

  // Whether a pair of runs stands for a line (the empty line is none).
  auto eligible = [&](const Run& h, const Run& l) {
    if (zero_key || (h.first | l.first) != 0) return true;
    return h.has_second() || l.has_second();
  };
  // Records the lines of a pair of runs.
  auto record = [&](const Run& h, const Run& l, double value, double e) {
    if (exact) {
      std::uint64_t key = h.first | l.first;
      if (key == 0) {  // the smallest other line of the pair, and the zero-d line
        const std::uint64_t other = l.has_second() ? l.second : h.has_second() ? h.second : 0;
        if (zero_key) key = other != 0 ? std::min(other, *zero_key) : *zero_key;
        else if (other != 0) key = other;
        else return;
      }
      make_room();
      out.push_back({value, e, key});
      return;
    }
    for (const std::uint64_t hk : h.members)
      for (const std::uint64_t lk : l.members) {
        std::uint64_t key = hk | lk;
        if (key == 0) {
          if (!zero_key) continue;
          key = *zero_key;
        }
        make_room();
        out.push_back({value, e, key});
      }
  };
  auto note = [&](const Run& h, const Run& l, double hb) {
    if (eligible(h, l)) best = std::min(best, std::fabs((hb + l.sum) - target));
  };
  // Runs above the bar for this A + B sum stay above it for every larger one.
  auto trim = [&](double hb) {
    while (!window.empty() && (hb + window.front().sum) - target > bar()) window.pop_front();
  };

  Run h, l;
  const std::atomic<bool>* stop = thread_stop();  // the solve's stop flag, polled per A + B run (issue 22)
  while (!up.empty()) {
    if (stop && stop->load(std::memory_order_relaxed)) throw Stopped();
    next_run(up, h, members, max_candidates);
    const double hb = base + h.sum;
    for (const Run& w : window) note(h, w, hb);
    // C + D runs above the target for this sum, then below it while within the bar.
    while (!down.empty() && hb + down.peek() > target) {
      next_run(down, l, members, max_candidates);
      window.push_back(std::move(l));
      note(h, window.back(), hb);
      trim(hb);
    }
    while (!down.empty() && (std::isinf(best) || target - (hb + down.peek()) <= bar())) {
      next_run(down, l, members, max_candidates);
      window.push_back(std::move(l));
      note(h, window.back(), hb);
    }
    trim(hb);
    for (const Run& w : window) {
      const double value = hb + w.sum;
      const double e = std::fabs(value - target);
      if (e <= bar()) record(h, w, value, e);
    }
    prune(out, bar(), limit);
  }
  std::erase_if(out, [&](const FourListCandidate& c) { return c.error > bar(); });
  return out;
}

}  // namespace wcs::search
