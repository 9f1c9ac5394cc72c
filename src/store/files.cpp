#include "store/files.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>

#include "wcs/format.hpp"

namespace wcs::store {

namespace {

// This host's name as it appears in temporary file names (no '/' and no '.').
const std::string& host_name() {
  static const std::string name = [] {
    char buf[256] = {0};
    std::string h = ::gethostname(buf, sizeof buf - 1) == 0 && buf[0] ? buf : "localhost";
    std::replace(h.begin(), h.end(), '/', '_');
    std::replace(h.begin(), h.end(), '.', '_');
    return h;
  }();
  return name;
}

// 16 hex digits nobody can predict.
std::string random_suffix() {
  static thread_local std::mt19937_64 gen = [] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd(), static_cast<unsigned>(::getpid())};
    return std::mt19937_64(seq);
  }();
  return fmt::format("{:016x}", gen());
}

[[noreturn]] void fail(const char* what, const fs::path& path, int err) {
  throw std::runtime_error(fmt::format("cannot {} {}: {}", what, path.string(), std::strerror(err)));
}

// fsync of a folder, so the names in it (a new file, a rename) are on disk. File
// systems that cannot sync a folder (EINVAL) are left as they are.
void sync_folder(const fs::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0 && err == EIO) fail("sync folder", dir, err);
}

// Creates `path` exclusively (never an existing file, never through a link), writes
// `text` and syncs it; removes it and throws on any failure.
void write_new_file(const fs::path& path, std::string_view text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) fail("create", path, errno);
  auto give_up = [&](const char* what, int err) {
    ::close(fd);
    ::unlink(path.c_str());
    fail(what, path, err);
  };
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) give_up("write", n < 0 ? errno : EIO);
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) give_up("sync", errno);
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(path.c_str());
    fail("close", path, err);
  }
}

fs::path folder_of(const fs::path& path) { return path.has_parent_path() ? path.parent_path() : fs::path("."); }

// A temporary name beside `path`: <path>.tmp.<host>.<pid>.<random>.
fs::path temporary_for(const fs::path& path) {
  return path.string() + fmt::format(".tmp.{}.{}.{}", host_name(), static_cast<long>(::getpid()), random_suffix());
}

// Host and pid of a temporary file's name, when it is one.
std::optional<std::pair<std::string, long long>> temporary_owner(const std::string& name) {
  const auto at = name.rfind(".tmp.");
  if (at == std::string::npos || at == 0) return std::nullopt;
  std::vector<std::string> parts = split_list(name.substr(at + 5), '.');
  // <host>.<pid>.<random> today; <host>.<pid> and <pid> of earlier versions.
  if (parts.size() == 3) parts.pop_back();
  if (parts.size() == 1) parts.insert(parts.begin(), host_name());
  if (parts.size() != 2 || parts[1].empty() || parts[1].find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  const std::optional<long long> pid = to_integer(parts[1]);
  if (!pid || *pid <= 0) return std::nullopt;
  return std::make_pair(parts[0], *pid);
}

void remove_tree(const fs::path& dir) {
  std::error_code ec;
  fs::remove_all(dir, ec);
}

}  // namespace

void write_atomic(const fs::path& path, std::string_view text) {
  const fs::path dir = folder_of(path);
  std::error_code ec;
  if (fs::create_directories(dir, ec)) sync_folder(folder_of(dir));
  if (ec) fail("create folder", dir, ec.value());
  const fs::path tmp = temporary_for(path);
  write_new_file(tmp, text);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    fail("rename a temporary file to", path, err);
  }
  sync_folder(dir);
}

bool is_plain_file(const fs::path& path) {
  std::error_code ec;
  return fs::symlink_status(path, ec).type() == fs::file_type::regular;
}

std::string read_text(const fs::path& path) {
  // O_NONBLOCK: a FIFO planted under a record's name must not hang the reader;
  // O_NOFOLLOW: nor may a link lead it elsewhere.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ELOOP) throw std::runtime_error("cannot read " + path.string() + ": a link, not a regular file");
    fail("read", path, errno);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw std::runtime_error("cannot read " + path.string() + ": not a regular file");
  }
  std::string out;
  out.reserve(static_cast<std::size_t>(st.st_size));
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      fail("read", path, err);
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

std::size_t remove_stale_temporaries(const fs::path& dir) {
  std::size_t removed = 0;
  const auto now = fs::file_time_type::clock::now();
  for (const fs::path& folder : {dir, dir / "runs", dir / "truth_tables"}) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) continue;
    for (const auto& e : fs::directory_iterator(folder, ec)) {
      const auto owner = temporary_owner(e.path().filename().string());
      if (!owner || !is_plain_file(e.path())) continue;
      bool stale = false;
      if (owner->first == host_name()) {
        stale = ::kill(static_cast<pid_t>(owner->second), 0) != 0 && errno == ESRCH;
      } else {
        const auto written = fs::last_write_time(e.path(), ec);
        stale = !ec && now - written > std::chrono::hours(1);
      }
      if (stale && fs::remove(e.path(), ec)) ++removed;
    }
    // Sets of files that a killed writer left half made (replace_folder).
    for (const auto& e : fs::directory_iterator(folder, ec)) {
      const std::string name = e.path().filename().string();
      if (name.rfind(".wcs-new.", 0) != 0 && name.rfind(".wcs-old.", 0) != 0) continue;
      const auto owner = temporary_owner(name);
      if (owner && owner->first == host_name() && ::kill(static_cast<pid_t>(owner->second), 0) != 0 && errno == ESRCH) {
        remove_tree(e.path());
        ++removed;
      }
    }
  }
  return removed;
}

std::vector<std::string> manifest(const fs::path& dir) {
  std::vector<std::string> names;
  if (!is_plain_file(dir / kManifest)) return names;
  for (auto& line : split_list(read_text(dir / kManifest), '\n'))
    if (!line.empty() && line.find('/') == std::string::npos && line != "." && line != "..") names.push_back(line);
  return names;
}

std::vector<fs::path> replace_folder(const fs::path& dir,
                                     const std::vector<std::pair<std::string, std::string>>& files) {
  const fs::path parent = folder_of(dir);
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) fail("create folder", parent, ec.value());
  const std::string tag = fmt::format("tmp.{}.{}.{}", host_name(), static_cast<long>(::getpid()), random_suffix());
  const fs::path fresh = parent / (".wcs-new." + dir.filename().string() + "." + tag);
  if (::mkdir(fresh.c_str(), 0755) != 0) fail("create folder", fresh, errno);
  try {
    std::string listed;
    std::vector<fs::path> written;
    for (const auto& [name, text] : files) {
      write_new_file(fresh / name, text);
      listed += name + "\n";
      written.push_back(dir / name);
    }
    // What the old folder holds that the harness did not write goes along.
    if (fs::is_directory(dir, ec)) {
      const auto ours = manifest(dir);
      const std::set<std::string> mine(ours.begin(), ours.end());
      for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        if (name == kManifest || mine.contains(name) || fs::exists(fresh / name)) continue;
        fs::copy(e.path(), fresh / name, fs::copy_options::recursive | fs::copy_options::copy_symlinks, ec);
        if (ec) fail("keep", e.path(), ec.value());
      }
    }
    write_new_file(fresh / kManifest, listed);
    sync_folder(fresh);
    if (fs::is_directory(dir, ec)) {
      // One step: the new set takes the old one's name (renameat2 RENAME_EXCHANGE),
      // then the old set, now under the new one's name, is removed.
      if (::renameat2(AT_FDCWD, fresh.c_str(), AT_FDCWD, dir.c_str(), RENAME_EXCHANGE) != 0)
        fail("swap in", dir, errno);
      const fs::path old = parent / (".wcs-old." + dir.filename().string() + "." + tag);
      if (::rename(fresh.c_str(), old.c_str()) == 0) remove_tree(old);
      else remove_tree(fresh);
    } else if (::rename(fresh.c_str(), dir.c_str()) != 0) {
      fail("rename into place", dir, errno);
    }
    sync_folder(parent);
    return written;
  } catch (...) {
    remove_tree(fresh);
    throw;
  }
}

}  // namespace wcs::store
