// The demo page and the WASM module as static files: MIME types, traversal refused, module 404.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "mock_server/static_files.hpp"
#include "mock_test_support.hpp"

namespace baanx::mock::testing {
namespace {

namespace fs = std::filesystem;

void WriteFile(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

class MockStaticFiles : public MockServerTest {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/baanx-mock-static-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    base_ = pattern;
    const fs::path web = base_ / "web";
    WriteFile(web / "index.html", "<!DOCTYPE html><title>demo</title>");
    WriteFile(web / "app.js", "export const app = 1;\n");
    WriteFile(web / "style.css", "body{}\n");
    WriteFile(web / "data.json", "{\"a\":1}");
    WriteFile(web / "icon.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    WriteFile(web / "logo.png", std::string("\x89PNG\r\n\x1a\n", 8));
    WriteFile(web / "notes.txt", "plain");
    WriteFile(web / "sub" / "page.html", "<p>sub</p>");
    WriteFile(web / ".env", "HIDDEN=1");
    WriteFile(base_ / "secret.txt", "TOP-SECRET");
    fs::create_symlink(base_ / "secret.txt", web / "link.txt");
    WriteFile(base_ / "module" / "baanx-auth.mjs", "export default 1;\n");
    WriteFile(base_ / "module" / "baanx-auth.wasm", std::string("\0asm\1\0\0\0", 8));

    ServerOptions options = TestOptions();
    options.web_root = (base_ / "web").string();
    options.module_dir = (base_ / "module").string();
    Restart(options);
  }

  void TearDown() override {
    MockServerTest::TearDown();
    std::error_code ignored;
    fs::remove_all(base_, ignored);
  }

  void ExpectFile(const std::string& path, const std::string& content_type) {
    const HttpResult result = Get(path);
    EXPECT_EQ(result.status, 200) << path;
    EXPECT_EQ(result.Header("Content-Type"), content_type) << path;
  }

  fs::path base_;
};

TEST_F(MockStaticFiles, RootServesIndexHtml) {
  const HttpResult result = Get("/");
  ASSERT_EQ(result.status, 200);
  EXPECT_EQ(result.Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(result.body, "<!DOCTYPE html><title>demo</title>");
  EXPECT_EQ(Get("/index.html").body, result.body);
}

TEST_F(MockStaticFiles, MimeTypesFollowTheExtension) {
  ExpectFile("/app.js", "text/javascript");
  ExpectFile("/style.css", "text/css");
  ExpectFile("/data.json", "application/json");
  ExpectFile("/icon.svg", "image/svg+xml");
  ExpectFile("/logo.png", "image/png");
  ExpectFile("/sub/page.html", "text/html; charset=utf-8");
  ExpectFile("/notes.txt", "application/octet-stream");
}

TEST_F(MockStaticFiles, ModuleIsServedFromTheModuleDir) {
  const HttpResult script = Get("/baanx-auth.mjs");
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.Header("Content-Type"), "text/javascript");
  EXPECT_EQ(script.body, "export default 1;\n");
  const HttpResult wasm = Get("/baanx-auth.wasm");
  EXPECT_EQ(wasm.status, 200);
  EXPECT_EQ(wasm.Header("Content-Type"), "application/wasm");
  EXPECT_EQ(wasm.body, std::string("\0asm\1\0\0\0", 8));
}

TEST_F(MockStaticFiles, FilesAreNotCached) {
  EXPECT_EQ(Get("/app.js").Header("Cache-Control"), "no-store");
  EXPECT_EQ(Get("/baanx-auth.wasm").Header("Cache-Control"), "no-store");
}

TEST_F(MockStaticFiles, MissingModuleGets404SayingToBuildIt) {
  fs::remove(base_ / "module" / "baanx-auth.mjs");
  const HttpResult result = Get("/baanx-auth.mjs");
  EXPECT_EQ(result.status, 404);
  EXPECT_EQ(result.Header("Content-Type"), "application/json");
  EXPECT_NE(result.Message().find("Build the WASM module"), std::string::npos) << result.Message();
}

TEST_F(MockStaticFiles, NoModuleDirGets404SayingToBuildIt) {
  ServerOptions options = TestOptions();
  options.web_root = (base_ / "web").string();
  Restart(options);
  EXPECT_NE(Get("/baanx-auth.wasm").Message().find("Build the WASM module"), std::string::npos);
}

TEST_F(MockStaticFiles, UnknownFileGets404Json) {
  const HttpResult result = Get("/nope.js");
  EXPECT_EQ(result.status, 404);
  EXPECT_EQ(result.Message(), "Not found");
}

TEST_F(MockStaticFiles, TraversalIsRefused) {
  for (const char* path : {"/../secret.txt", "/%2e%2e/secret.txt", "/sub/../../secret.txt",
                           "/..%2fsecret.txt", "/sub/..%2f..%2fsecret.txt"}) {
    const RawExchange exchange = RawRequest(
        port(), std::string("GET ") + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(exchange.received.find("TOP-SECRET"), std::string::npos) << path;
    EXPECT_TRUE(exchange.received.rfind("HTTP/1.1 403", 0) == 0 ||
                exchange.received.rfind("HTTP/1.1 404", 0) == 0)
        << path << ": " << exchange.received.substr(0, 40);
  }
}

TEST_F(MockStaticFiles, DotDotSegmentGets403) {
  const RawExchange exchange =
      RawRequest(port(), "GET /../secret.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(exchange.received.rfind("HTTP/1.1 403", 0), 0u) << exchange.received.substr(0, 40);
}

TEST_F(MockStaticFiles, SymlinkOutOfTheRootIsRefused) {
  const HttpResult result = Get("/link.txt");
  EXPECT_EQ(result.status, 403);
  EXPECT_EQ(result.body.find("TOP-SECRET"), std::string::npos);
}

TEST_F(MockStaticFiles, HiddenFilesAreNotServed) { EXPECT_EQ(Get("/.env").status, 404); }

TEST_F(MockStaticFiles, WrongMethodGets405) { EXPECT_EQ(PostRaw("/app.js", "{}", {}).status, 405); }

TEST_F(MockStaticFiles, HeadAnswersWithoutBody) {
  const HttpResult result = Request(port(), "HEAD", "/app.js");
  EXPECT_EQ(result.status, 200);
  EXPECT_TRUE(result.body.empty());
}

TEST(MockMimeTypes, KnownExtensions) {
  EXPECT_EQ(MimeTypeFor("a.html"), "text/html; charset=utf-8");
  EXPECT_EQ(MimeTypeFor("a.mjs"), "text/javascript");
  EXPECT_EQ(MimeTypeFor("a.wasm"), "application/wasm");
  EXPECT_EQ(MimeTypeFor("a"), "application/octet-stream");
}

}  // namespace
}  // namespace baanx::mock::testing
