// How much memory this process may still allocate, and the arithmetic of memory
// estimates: a strategy declares what a solve needs (StrategyInfo::memory_bytes) and
// the Solver refuses, before anything is allocated, a solve the machine cannot hold.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace wcs {

/// Bytes this process may still allocate: MemAvailable of /proc/meminfo, lowered by
/// the cgroup (v2) memory limit of the process (a Slurm job's, a container's) and by
/// RLIMIT_AS when they are tighter. UINT64_MAX when none of them can be read.
std::uint64_t available_memory_bytes();

/// 2^bits items of `item_bytes` bytes, saturating at UINT64_MAX (for estimates of
/// tables that grow as 2^N or 2^(N/2)).
std::uint64_t pow2_bytes(std::size_t bits, std::uint64_t item_bytes);

/// a + b and a * b, saturating at UINT64_MAX.
std::uint64_t add_bytes(std::uint64_t a, std::uint64_t b);
std::uint64_t mul_bytes(std::uint64_t a, std::uint64_t b);

/// "8.6 GB" (decimal gigabytes, one decimal; "0.1 GB" at least for a non-zero size).
std::string gigabytes(std::uint64_t bytes);

/// Throws InputError "coefficients: N = n: strategy 'NAME' needs X GB, Y GB available"
/// when `needed` exceeds available_memory_bytes(). Estimates up to 256 MB are not
/// checked: reading the counters would cost more than a small solve; above that they
/// are read at most every 50 ms unless the check fails.
void check_memory(const std::string& strategy, std::size_t n, std::uint64_t needed);

}  // namespace wcs
