// The demo/mock server over real HTTP: the mock Baanx API under /v1/, the mock phone and test hooks
// under /__mock/, the demo page and WASM module as static files, CORS on every answer outside
// /__mock/ (the hooks are same-origin only). Binds 127.0.0.1 only. Used by the baanx-mock-server
// executable and, in-process, by tests.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "mock_server/connection_guard.hpp"
#include "mock_server/mock_baanx.hpp"
#include "mock_server/mock_config.hpp"

namespace baanx::mock {

inline constexpr int kDefaultPort = 8080;

struct ServerOptions {
  int port = kDefaultPort;  // 0: an ephemeral port, see MockHttpServer::port()
  bool test_mode = false;   // enables /__mock/clock, reset, config and fault
  MockConfig config;
  std::string web_root;    // the demo page; empty: none
  std::string module_dir;  // holds baanx-auth.mjs and baanx-auth.wasm; empty: none
  // How long a connection may stay silent mid-request, or idle between keep-alive requests.
  int io_timeout_s = 5;
  // What one connection may hold: the whole time to send a request, workers, waiting line, headers.
  ConnectionLimits limits;
  // Receives one line per request (method, path, status; never a body or header value).
  // Calls are serialised. Empty: no request log.
  std::function<void(const std::string&)> log_line;
};

class MockHttpServer {
 public:
  explicit MockHttpServer(ServerOptions options);
  ~MockHttpServer();  // stops the server

  MockHttpServer(const MockHttpServer&) = delete;
  MockHttpServer& operator=(const MockHttpServer&) = delete;

  // Binds 127.0.0.1 and serves on background threads. On failure returns false and says why.
  bool Start(std::string* error);
  // Stops accepting, ends pending fault delays, waits for the serving threads. Idempotent.
  void Stop();

  // The bound port (the real one when 0 was asked for); 0 before Start.
  int port() const;
  // "http://127.0.0.1:PORT/"
  std::string BaseUrl() const;

  MockBaanx& api();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace baanx::mock
