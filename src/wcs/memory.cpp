#include "wcs/memory.hpp"

#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <limits>
#include <sstream>

#include "wcs/error.hpp"

namespace wcs {
namespace {

constexpr std::uint64_t kUnknown = std::numeric_limits<std::uint64_t>::max();

// The number after `key` in a "Key: value [kB]" file such as /proc/meminfo, in bytes.
std::uint64_t proc_field_bytes(const char* path, const std::string& key) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, key.size(), key) != 0) continue;
    std::istringstream fields(line.substr(key.size()));
    std::uint64_t value = 0;
    std::string unit;
    if (!(fields >> value)) return kUnknown;
    fields >> unit;
    return unit == "kB" ? mul_bytes(value, 1024) : value;
  }
  return kUnknown;
}

// One number from a cgroup file ("max" and unreadable files: unknown).
std::uint64_t cgroup_number(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text) || text == "max") return kUnknown;
  try {
    std::size_t used = 0;
    const unsigned long long v = std::stoull(text, &used);
    return used == text.size() ? v : kUnknown;
  } catch (const std::exception&) {
    return kUnknown;
  }
}

// What the cgroup v2 limits of this process leave: the tightest memory.max -
// memory.current over the process's cgroup and its ancestors.
std::uint64_t cgroup_available() {
  std::ifstream in("/proc/self/cgroup");
  std::string line, path;
  while (std::getline(in, line))
    if (line.rfind("0::", 0) == 0) path = line.substr(3);
  if (path.empty()) return kUnknown;
  std::uint64_t best = kUnknown;
  for (;;) {
    const std::string dir = "/sys/fs/cgroup" + (path == "/" ? std::string() : path);
    const std::uint64_t max = cgroup_number(dir + "/memory.max");
    if (max != kUnknown) {
      const std::uint64_t current = cgroup_number(dir + "/memory.current");
      const std::uint64_t left = current == kUnknown ? max : (max > current ? max - current : 0);
      best = std::min(best, left);
    }
    if (path == "/" || path.empty()) break;
    const auto slash = path.find_last_of('/');
    path = slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
  }
  return best;
}

std::uint64_t address_space_left() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_AS, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return kUnknown;
  const std::uint64_t used = proc_field_bytes("/proc/self/status", "VmSize:");
  if (used == kUnknown) return limit.rlim_cur;
  return limit.rlim_cur > used ? limit.rlim_cur - used : 0;
}

}  // namespace

// Below this an estimate is not checked against the machine (see check_memory).
constexpr std::uint64_t kAlwaysAvailable = std::uint64_t{256} << 20;

std::uint64_t add_bytes(std::uint64_t a, std::uint64_t b) { return a > kUnknown - b ? kUnknown : a + b; }

std::uint64_t mul_bytes(std::uint64_t a, std::uint64_t b) {
  if (a == 0 || b == 0) return 0;
  return a > kUnknown / b ? kUnknown : a * b;
}

std::uint64_t pow2_bytes(std::size_t bits, std::uint64_t item_bytes) {
  if (bits >= 64) return item_bytes == 0 ? 0 : kUnknown;
  return mul_bytes(std::uint64_t{1} << bits, item_bytes);
}

std::uint64_t available_memory_bytes() {
  return std::min({proc_field_bytes("/proc/meminfo", "MemAvailable:"), cgroup_available(), address_space_left()});
}

std::string gigabytes(std::uint64_t bytes) {
  if (bytes == kUnknown) return "more than 18000000000 GB";
  const double gb = static_cast<double>(bytes) / 1e9;
  return fmt::format("{:.1f} GB", bytes > 0 && gb < 0.1 ? 0.1 : gb);
}

namespace {

// available_memory_bytes() read at most every 50 ms: a benchmark repeats a small solve
// of a strategy whose estimate is large (dp's max_table_mb) thousands of times a second.
std::uint64_t recent_available_memory() {
  using Clock = std::chrono::steady_clock;
  static std::atomic<Clock::rep> read_at{0};
  static std::atomic<std::uint64_t> value{0};
  const Clock::rep now = Clock::now().time_since_epoch().count();
  const Clock::rep then = read_at.load(std::memory_order_acquire);
  if (then != 0 && now - then < std::chrono::duration_cast<Clock::duration>(std::chrono::milliseconds(50)).count())
    return value.load(std::memory_order_relaxed);
  const std::uint64_t available = available_memory_bytes();
  value.store(available, std::memory_order_relaxed);
  read_at.store(now, std::memory_order_release);
  return available;
}

}  // namespace

void check_memory(const std::string& strategy, std::size_t n, std::uint64_t needed) {
  // Reading the system's counters (several files) costs tens of microseconds, more
  // than a whole solve of a small problem; a machine that runs this has 256 MB free.
  if (needed <= kAlwaysAvailable) return;
  if (needed <= recent_available_memory()) return;
  const std::uint64_t available = available_memory_bytes();  // a refusal reads them afresh
  if (needed <= available) return;
  throw InputError(fmt::format("coefficients: N = {}: strategy '{}' needs {}, {} available", n, strategy,
                               gigabytes(needed), gigabytes(available)));
}

}  // namespace wcs
