// The demo server's file side: the demo page from a web root and the WASM module from the build
// directory, refusing anything that would leave those directories.
#pragma once

#include <string>

namespace baanx::mock {

inline constexpr const char* kModuleScriptPath = "/baanx-auth.mjs";
inline constexpr const char* kModuleWasmPath = "/baanx-auth.wasm";

struct StaticResponse {
  int status = 200;
  std::string content_type;
  std::string body;
};

// The Content-Type for a file name, from its extension (application/octet-stream if unknown).
std::string MimeTypeFor(const std::string& file_name);

class StaticFiles {
 public:
  // Either directory may be empty: nothing is served from it then.
  StaticFiles(std::string web_root, std::string module_dir);

  // Answers a GET for an already URL-decoded request path (e.g. "/", "/app.js").
  StaticResponse Serve(const std::string& path) const;

 private:
  static StaticResponse ServeFrom(const std::string& root, const std::string& relative);

  std::string web_root_;
  std::string module_dir_;
};

}  // namespace baanx::mock
