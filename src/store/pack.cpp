#include "store/pack.hpp"

#include <fmt/format.h>
#include <zlib.h>

#include <stdexcept>

#include "store/files.hpp"

namespace wcs::store {

namespace fs = std::filesystem;

namespace {

// gzip of `text` in memory (zlib's deflate with a gzip header: windowBits 15 + 16).
std::string gzip(const std::string& text) {
  z_stream z{};
  if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("zlib: cannot start");
  std::string out(deflateBound(&z, static_cast<uLong>(text.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("zlib: cannot compress");
  return out;
}

}  // namespace

void write_pack(const fs::path& path, const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& l : lines) {
    if (l.find('\n') != std::string::npos) throw std::logic_error("a pack line holds a newline");
    text += l;
    text += '\n';
  }
  write_atomic(path, gzip(text));
}

void read_pack(const fs::path& path, const std::function<void(const std::string&, std::size_t)>& line) {
  const std::string packed = read_text(path);
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) throw std::runtime_error("zlib: cannot start");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
  z.avail_in = static_cast<uInt>(packed.size());
  std::string pending;
  std::size_t number = 0;
  char buf[1 << 16];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&z);
      throw std::runtime_error(fmt::format("{}: not a gzip file, or damaged after line {} ({})", path.string(), number,
                                           rc == Z_BUF_ERROR ? "cut short"
                                           : z.msg           ? z.msg
                                                             : "zlib error"));
    }
    pending.append(buf, sizeof buf - z.avail_out);
    for (std::size_t start = 0;;) {
      const auto nl = pending.find('\n', start);
      if (nl == std::string::npos) {
        pending.erase(0, start);
        break;
      }
      line(pending.substr(start, nl - start), ++number);
      start = nl + 1;
    }
  }
  inflateEnd(&z);
  if (!pending.empty())
    throw std::runtime_error(fmt::format("{}: line {} has no end (the pack was cut short)", path.string(), number + 1));
}

}  // namespace wcs::store
