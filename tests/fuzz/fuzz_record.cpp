// libFuzzer target: any bytes as a run record (the text of runs/<id>.json) and as a
// pack of records (runs.jsonl.gz). The reader must either give a record that writes
// and reads back to the same JSON, with a status the checks agree with, or throw
// RecordError / InputError naming a field (a pack: a runtime_error naming the file);
// anything else (a crash, another exception, a sanitizer report) is a finding.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "record/record.hpp"
#include "store/pack.hpp"

namespace {

void as_record(const std::string& text) {
  wcs::record::Json j;
  try {
    j = wcs::record::Json::parse(text);
  } catch (const wcs::record::Json::exception&) {
    return;  // not JSON: the folder reader lists it as such
  }
  try {
    const wcs::record::RunRecord r = wcs::record::from_json(j, "fuzz.jsonl:1");
    // What was read writes back to what reads the same.
    const wcs::record::Json again = wcs::record::to_file_json(r);
    const wcs::record::RunRecord back = wcs::record::from_json(again, "fuzz.jsonl:2");
    if (wcs::record::to_file_json(back) != again) std::abort();
    // An ok record is one whose result passes its checks.
    if (r.ok() && wcs::record::check_result(r)) std::abort();
    (void)wcs::record::solve_json(r, wcs::record::Json::object())
        .dump(-1, ' ', false, wcs::record::Json::error_handler_t::replace);
  } catch (const wcs::record::RecordError& e) {
    if (e.file().empty() || e.field().empty()) std::abort();
  }
}

void as_pack(const std::string& bytes) {
  static const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("wcs-fuzz-pack-" + std::to_string(::getpid()) + ".jsonl.gz");
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
  try {
    wcs::store::read_pack(file, [](const std::string& line, std::size_t) { as_record(line); });
  } catch (const std::runtime_error& e) {
    if (std::string(e.what()).find(file.string()) == std::string::npos && std::string(e.what()).rfind("zlib", 0) != 0)
      std::abort();  // a pack that cannot be read names the file
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  as_record(bytes);
  as_pack(bytes);
  return 0;
}
