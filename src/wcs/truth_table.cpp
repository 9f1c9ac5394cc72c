#include "wcs/truth_table.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <stdexcept>

#include "wcs/format.hpp"

namespace wcs {

namespace {

// `path`.partial.<16 random hex digits>, created exclusively and without following a
// link: a file or link planted under a predictable name can neither be overwritten
// nor lead the table elsewhere.
std::FILE* create_partial(const std::string& path, std::string& partial) {
  std::random_device rd;
  for (int attempt = 0; attempt < 16; ++attempt) {
    partial = fmt::format("{}.partial.{:08x}{:08x}", path, rd(), rd());
    const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0 && errno == EEXIST) continue;
    if (fd < 0) break;
    if (std::FILE* f = ::fdopen(fd, "w")) return f;
    ::close(fd);
    std::remove(partial.c_str());
    break;
  }
  throw std::runtime_error(fmt::format("truth_table: cannot write '{}': {}", partial, std::strerror(errno)));
}

}  // namespace

TruthTableWriter::TruthTableWriter(std::string path) : path_(std::move(path)) {
  file_ = create_partial(path_, partial_);
  std::fputs("cycle,line,combination,weights_before,wpn,result,delta_abs,delta_cond,is_winner\n", file_);
}

TruthTableWriter::~TruthTableWriter() {
  if (file_) {
    std::fclose(file_);
    std::remove(partial_.c_str());
  }
}

void TruthTableWriter::begin_cycle(long long cycle, std::span<const double> weights_before, double wpn) {
  cycle_prefix_ = fmt::format("{},", cycle);
  cycle_state_ = fmt::format(",{},{},", format_weights(weights_before), wpn);
}

void TruthTableWriter::write_tail(double result, double target, bool is_winner) {
  const double cond = result - target;
  const auto text = fmt::format("{},{},{},{}\n", result, std::fabs(cond), cond, is_winner ? 1 : 0);
  std::fwrite(text.data(), 1, text.size(), file_);
  ++rows_;
}

void TruthTableWriter::row(std::uint64_t line, const Combination& combination, double result, double target,
                           bool is_winner) {
  std::fputs(cycle_prefix_.c_str(), file_);
  if (combination.size() <= kMaxLineBits) std::fputs(std::to_string(line).c_str(), file_);
  std::fputc(',', file_);
  std::fputs(combination.to_string().c_str(), file_);
  std::fputs(cycle_state_.c_str(), file_);
  write_tail(result, target, is_winner);
}

void TruthTableWriter::row(std::uint64_t line, std::size_t n, double result, double target, bool is_winner) {
  combination_.assign(n, '0');
  for (std::size_t i = 0; i < n; ++i)
    if (line_selects(line, n, i)) combination_[i] = '1';
  std::fputs(cycle_prefix_.c_str(), file_);
  std::fputs(std::to_string(line).c_str(), file_);
  std::fputc(',', file_);
  std::fputs(combination_.c_str(), file_);
  std::fputs(cycle_state_.c_str(), file_);
  write_tail(result, target, is_winner);
}

void TruthTableWriter::finish() {
  if (!file_) return;
  const bool failed = std::ferror(file_) != 0;
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (failed || !closed || std::rename(partial_.c_str(), path_.c_str()) != 0) {
    std::remove(partial_.c_str());
    throw std::runtime_error("truth_table: writing '" + path_ + "' failed");
  }
}

}  // namespace wcs
