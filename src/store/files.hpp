// Files of a results folder on disk: written whole or not at all, read without
// blocking or following links, and the leftovers of killed writers.
#pragma once
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wcs::store {

namespace fs = std::filesystem;

/// Writes `text` to `path` through a temporary file in the same folder and a rename,
/// so a reader never sees half a file, and durably (the file and the folder are
/// synced). The temporary file is created exclusively, under an unpredictable name
/// (`<path>.tmp.<host>.<pid>.<random>`), without following a link planted there.
/// Creates the folder. Throws std::runtime_error naming the file and the reason (a
/// full disk: "No space left on device"); on failure nothing is left behind.
void write_atomic(const fs::path& path, std::string_view text);

/// The whole of a regular file: std::runtime_error naming it when it cannot be read
/// or is not a regular file (a link, a FIFO, a folder: never opened in a way that
/// could block).
std::string read_text(const fs::path& path);

/// True when `path` is a regular file itself (not a link to one).
bool is_plain_file(const fs::path& path);

/// Removes the temporary files that writers of this host whose process is gone left
/// in `dir` and its runs/, and those of other hosts (a folder shared over the network)
/// older than an hour. A live writer's file is left alone. Returns how many went.
std::size_t remove_stale_temporaries(const fs::path& dir);

/// The files of a folder the harness writes as one set (tables/, plots/): the new set
/// is written beside the old one and swapped in by one rename, so a reader or a crash
/// sees the old set or the new one, never a mix; on failure the old set stays and the
/// error says why. Files of the old folder that the harness did not write (not named
/// in its manifest, `.wcs-manifest`) are carried over. Returns the paths written.
std::vector<fs::path> replace_folder(const fs::path& dir,
                                     const std::vector<std::pair<std::string, std::string>>& files);

/// The names a folder's manifest lists (the files the harness wrote there); empty when
/// it has none.
std::vector<std::string> manifest(const fs::path& dir);

/// The file name of a folder's manifest.
inline constexpr const char* kManifest = ".wcs-manifest";

}  // namespace wcs::store
