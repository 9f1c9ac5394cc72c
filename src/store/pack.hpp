// A finished experiment's records in one file: JSON lines, gzip-compressed
// (runs.jsonl.gz), read as a folder of records is read.
#pragma once
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace wcs::store {

/// The pack's file name in a results folder.
inline constexpr const char* kPackFile = "runs.jsonl.gz";

/// Writes `lines` (one compact JSON record each, no newline inside) to `path`,
/// gzip-compressed, through a temporary file and a rename (write_atomic's rules).
/// Throws std::runtime_error naming the file.
void write_pack(const std::filesystem::path& path, const std::vector<std::string>& lines);

/// Calls `line(text, number)` for every line of the pack (1-based numbers). Throws
/// std::runtime_error naming the file when it cannot be read or is not gzip; a pack
/// cut short (a truncated file) throws after the lines it held.
void read_pack(const std::filesystem::path& path, const std::function<void(const std::string&, std::size_t)>& line);

}  // namespace wcs::store
