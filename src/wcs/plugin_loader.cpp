#include "wcs/plugin_loader.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "wcs/format.hpp"
#include "wcs/plugin.hpp"

#ifndef WCS_PLUGIN_INSTALL_DIR
#define WCS_PLUGIN_INSTALL_DIR "/usr/local/lib/wcs/strategies"
#endif

namespace fs = std::filesystem;

namespace wcs {

void load_plugin(const std::string& path, Registry& registry, PluginReport& report) {
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = dlerror();
    report.problems.push_back(path + ": cannot load: " + (why ? why : "unknown reason"));
    return;
  }
  auto entry = reinterpret_cast<wcs_plugin_entry_fn>(dlsym(handle, "wcs_plugin_entry"));
  if (!entry) {
    report.problems.push_back(path + ": no wcs_plugin_entry function (not a wcs strategy module)");
    dlclose(handle);
    return;
  }
  // Every pointer the module hands over is checked before it is used.
  const wcs_plugin_v1* plugin = nullptr;
  try {
    plugin = entry();
  } catch (...) {
    report.problems.push_back(path + ": wcs_plugin_entry threw an exception");
    return;
  }
  if (!plugin) {
    report.problems.push_back(path + ": wcs_plugin_entry returned a null pointer");
    dlclose(handle);
    return;
  }
  if (plugin->abi_version != WCS_PLUGIN_ABI_VERSION) {
    report.problems.push_back(path + ": plugin ABI version " + std::to_string(plugin->abi_version) +
                              ", this program needs " + std::to_string(WCS_PLUGIN_ABI_VERSION));
    dlclose(handle);
    return;
  }
  if (!plugin->abi_fingerprint || std::strcmp(plugin->abi_fingerprint, abi_fingerprint()) != 0) {
    report.problems.push_back(path + ": plugin '" + (plugin->name ? plugin->name : "(no name)") +
                              "' was built against wcs ABI fingerprint '" +
                              (plugin->abi_fingerprint ? plugin->abi_fingerprint : "(none)") + "', this wcs has '" +
                              abi_fingerprint() + "': rebuild it against this wcs's headers");
    dlclose(handle);
    return;
  }
  std::string missing;
  if (!plugin->name) missing += " name";
  if (!plugin->version) missing += " version";
  if (!plugin->register_strategies) missing += " register_strategies";
  if (!missing.empty()) {
    report.problems.push_back(path + ": its wcs_plugin_entry has null pointers:" + missing);
    dlclose(handle);
    return;
  }
  Registry staged;
  char error[512] = {0};
  int status = 1;
  try {
    status = plugin->register_strategies(&staged, error, sizeof error);
  } catch (...) {
    std::strncpy(error, "an exception escaped register_strategies", sizeof error - 1);
  }
  error[sizeof error - 1] = '\0';
  if (status != 0) {
    report.problems.push_back(path + ": registration failed: " + (error[0] ? error : "no reason given"));
    return;  // its code may be referenced by what it half-registered: keep it loaded
  }
  for (const StrategyInfo* info : staged.list()) {
    const_cast<StrategyInfo*>(info)->origin = path;
    const_cast<StrategyInfo*>(info)->version = plugin->version;
  }
  try {
    registry.merge(std::move(staged));
  } catch (const std::exception& e) {
    report.problems.push_back(path + ": " + e.what());
    return;
  }
  report.loaded.push_back(path);
}

void load_plugin_dir(const std::string& dir, Registry& registry, PluginReport& report) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    report.problems.push_back(dir + ": plugin folder does not exist");
    return;
  }
  std::vector<std::string> modules;
  auto consider = [&](const fs::directory_entry& e) {
    if (e.is_regular_file(ec) && e.path().extension() == ".so") modules.push_back(e.path().string());
  };
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    consider(e);
    if (e.is_directory(ec) && e.path().extension() != ".p")
      for (const auto& sub : fs::directory_iterator(e.path(), ec)) consider(sub);
  }
  std::sort(modules.begin(), modules.end());
  for (const auto& m : modules) load_plugin(m, registry, report);
}

const char* abi_fingerprint() { return WCS_ABI_FINGERPRINT; }

std::string default_plugin_dir() {
  // Found from where this library lies, so that every host (the programs, the tests,
  // the Python module, a program of the user's) finds the same modules and an
  // installed tree can be moved (or staged with DESTDIR) as a whole.
  std::error_code ec;
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&abi_fingerprint), &info) != 0 && info.dli_fname) {
    const fs::path lib = fs::weakly_canonical(info.dli_fname, ec).parent_path();
    // A build tree (build/src/wcs/libwcs.so, meson-private at its top) uses its own
    // freshly built modules, never an installed copy.
    const fs::path top = lib.parent_path().parent_path();
    if (fs::exists(top / "meson-private", ec) && fs::is_directory(top / "strategies", ec))
      return (top / "strategies").string();
    // Installed: LIBDIR/libwcs.so and LIBDIR/wcs/strategies (meson.build's plugin_install_dir).
    if (fs::is_directory(lib / "wcs" / "strategies", ec)) return (lib / "wcs" / "strategies").string();
  }
  return WCS_PLUGIN_INSTALL_DIR;
}

std::vector<std::string> split_path_list(const std::string& list) {
  std::vector<std::string> out;
  for (std::string& item : split_list(list, ':'))
    if (!item.empty()) out.push_back(std::move(item));
  return out;
}

}  // namespace wcs
