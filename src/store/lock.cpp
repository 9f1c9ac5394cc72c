#include "store/lock.hpp"

#include <fcntl.h>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

#include "store/files.hpp"
#include "wcs/error.hpp"

namespace wcs::store {

namespace fs = std::filesystem;

FolderLock::FolderLock(const fs::path& dir, const std::string& command) : note_(dir / kLockNote) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot create {}: {}", dir.string(), ec.message()));
  fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd_ < 0) throw std::runtime_error(fmt::format("cannot open {}: {}", dir.string(), std::strerror(errno)));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd_);
    fd_ = -1;
    if (err != EWOULDBLOCK)
      throw std::runtime_error(fmt::format("cannot lock {}: {}", dir.string(), std::strerror(err)));
    std::string holder = "its note is unreadable";
    try {
      holder = read_text(note_);
      while (!holder.empty() && (holder.back() == '\n' || holder.back() == '\r')) holder.pop_back();
    } catch (const std::exception&) {
    }
    throw InputError(
        fmt::format("{}: another wcs is writing to this results folder ({}); wait for it to end, or use "
                    "another folder",
                    dir.string(), holder));
  }
  char host[256] = {0};
  if (::gethostname(host, sizeof host - 1) != 0) std::strcpy(host, "?");
  const std::string who =
      fmt::format("pid {} on {}, since {:%Y-%m-%d %H:%M:%S} UTC: {}\n", static_cast<long>(::getpid()), host,
                  fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())), command);
  try {
    write_atomic(note_, who);
  } catch (const std::exception&) {
    // The lock holds whether or not its note could be written (a full disk).
  }
}

FolderLock::~FolderLock() {
  if (fd_ < 0) return;
  std::error_code ec;
  fs::remove(note_, ec);
  ::close(fd_);  // closing drops the lock
}

}  // namespace wcs::store
