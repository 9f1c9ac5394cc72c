// One writer per results folder: a lock the operating system drops when its holder
// dies, so that `--resume` after `kill -9` finds the folder free.
#pragma once
#include <filesystem>
#include <string>

namespace wcs::store {

/// Holds an exclusive flock on the folder itself for its lifetime (nothing is written
/// into the folder for it). While it holds the lock, the holder's note (pid, host,
/// start time, command) is in DIR/.wcs-lock, so that a second writer can name it; the
/// note goes when the lock is released (a note left by a killed holder is harmless:
/// the lock, not the note, decides).
class FolderLock {
 public:
  /// Creates DIR when needed and takes the lock, or throws InputError naming the
  /// holder: "DIR: another wcs is writing to this results folder (pid P on HOST, since
  /// T UTC: COMMAND); wait for it to end, or use another folder".
  FolderLock(const std::filesystem::path& dir, const std::string& command);
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int fd_ = -1;
  std::filesystem::path note_;
};

/// The file name of the holder's note.
inline constexpr const char* kLockNote = ".wcs-lock";

}  // namespace wcs::store
