#include "mock_server/static_files.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <utility>

namespace baanx::mock {
namespace {

namespace fs = std::filesystem;

constexpr const char* kJson = "application/json";

StaticResponse JsonError(int status, const std::string& message) {
  // Only fixed messages come here, none with characters that need escaping.
  return StaticResponse{status, kJson, R"({"message":")" + message + R"("})"};
}

StaticResponse NotFound() { return JsonError(404, "Not found"); }

StaticResponse ModuleMissing() {
  return JsonError(404,
                   "The WASM module is not built: baanx-auth.mjs and baanx-auth.wasm are missing. "
                   "Build the WASM module first (see the README), then reload.");
}

struct PathCheck {
  bool forbidden = false;  // tries to climb out of the root
  bool hidden = false;     // names a dot file or dot directory
};

PathCheck CheckSegments(const std::string& relative) {
  PathCheck check;
  if (relative.find('\0') != std::string::npos || relative.find('\\') != std::string::npos) {
    check.forbidden = true;
    return check;
  }
  std::istringstream segments(relative);
  std::string segment;
  while (std::getline(segments, segment, '/')) {
    if (segment == "..") check.forbidden = true;
    if (segment.size() > 1 && segment[0] == '.' && segment != "..") check.hidden = true;
  }
  return check;
}

bool IsInside(const fs::path& root, const fs::path& candidate) {
  const auto mismatch =
      std::mismatch(root.begin(), root.end(), candidate.begin(), candidate.end()).first;
  return mismatch == root.end();
}

}  // namespace

std::string MimeTypeFor(const std::string& file_name) {
  static const std::array<std::pair<const char*, const char*>, 8> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript"},
      {".mjs", "text/javascript"},
      {".css", "text/css"},
      {".wasm", "application/wasm"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
  }};
  const std::string extension = fs::path(file_name).extension().string();
  for (const auto& [suffix, type] : kTypes) {
    if (extension == suffix) return type;
  }
  return "application/octet-stream";
}

StaticFiles::StaticFiles(std::string web_root, std::string module_dir)
    : web_root_(std::move(web_root)), module_dir_(std::move(module_dir)) {}

StaticResponse StaticFiles::Serve(const std::string& path) const {
  if (path.empty() || path[0] != '/') return NotFound();
  if (path == kModuleScriptPath || path == kModuleWasmPath) {
    if (module_dir_.empty()) return ModuleMissing();
    StaticResponse response = ServeFrom(module_dir_, path.substr(1));
    return response.status == 404 ? ModuleMissing() : response;
  }
  if (web_root_.empty()) return NotFound();
  const std::string relative = path == "/" ? "index.html" : path.substr(1);
  const PathCheck check = CheckSegments(relative);
  if (check.forbidden) return JsonError(403, "Forbidden");
  if (check.hidden) return NotFound();
  return ServeFrom(web_root_, relative);
}

StaticResponse StaticFiles::ServeFrom(const std::string& root, const std::string& relative) {
  std::error_code error;
  const fs::path canonical_root = fs::canonical(root, error);
  if (error) return NotFound();
  fs::path candidate = canonical_root / relative;
  if (fs::is_directory(candidate, error)) candidate /= "index.html";
  const fs::path canonical_file = fs::canonical(candidate, error);
  if (error) return NotFound();
  // A symbolic link may still point outside the root; such a file is not served.
  if (!IsInside(canonical_root, canonical_file)) return JsonError(403, "Forbidden");
  if (!fs::is_regular_file(canonical_file, error)) return NotFound();

  std::ifstream file(canonical_file, std::ios::binary);
  if (!file) return NotFound();
  std::string body((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (file.bad()) return JsonError(500, "Internal server error");
  return StaticResponse{200, MimeTypeFor(canonical_file.filename().string()), std::move(body)};
}

}  // namespace baanx::mock
