// VideoFile::open (video_file.h): finds and loads the video module once, then
// opens files through it. The module sits beside the program (the build folder)
// or in ../lib/kakunin/ (the package: /usr/bin/kakunin, /usr/lib/kakunin/).
#include "video_file.h"

#include <dlfcn.h>

#include <mutex>
#include <string>
#include <system_error>
#include <vector>

namespace kakunin::drivers {
namespace {

std::vector<std::filesystem::path> module_candidates() {
  std::error_code error;
  const std::filesystem::path program = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return {};
  const std::filesystem::path folder = program.parent_path();
  return {folder / kVideoModuleFile, folder.parent_path() / "lib" / "kakunin" / kVideoModuleFile};
}

// The module, or why there is none. Loaded once and never unloaded: frames and
// VideoFile objects made by its code may outlive any one caller.
struct LoadedModule {
  const VideoModule* module = nullptr;
  std::string error;
};

LoadedModule load_module() {
  std::string tried;
  for (const std::filesystem::path& candidate : module_candidates()) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(candidate, error)) {
      tried += (tried.empty() ? "" : ", ") + candidate.string();
      continue;
    }
    void* handle = ::dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) return {nullptr, "cannot load " + candidate.string() + ": " + ::dlerror()};
    using Entry = const VideoModule* (*)();
    const auto entry = reinterpret_cast<Entry>(::dlsym(handle, kVideoModuleEntry));
    const VideoModule* module = entry ? entry() : nullptr;
    if (!module || module->abi != kVideoModuleAbi || !module->open) {
      return {nullptr, candidate.string() + " is not a video module of this kakunin version"};
    }
    return {module, {}};
  }
  return {nullptr, std::string("video files need ") + kVideoModuleFile + " (looked for " + tried +
                       "); reinstall the kakunin package"};
}

const LoadedModule& video_module() {
  static const LoadedModule loaded = load_module();  // thread-safe once
  return loaded;
}

}  // namespace

base::Result<std::unique_ptr<VideoFile>> VideoFile::open(const std::filesystem::path& path,
                                                         const ImageLimits& limits) {
  const LoadedModule& loaded = video_module();
  if (!loaded.module) return base::Error{loaded.error};
  return loaded.module->open(path, limits);
}

}  // namespace kakunin::drivers
