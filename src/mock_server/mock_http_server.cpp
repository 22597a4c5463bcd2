#include "mock_server/mock_http_server.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

#include <httplib.h>

#include "mock_server/process_sockets.hpp"
#include "mock_server/static_files.hpp"
#include "mock_server/worker_pool.hpp"

namespace baanx::mock {
namespace {

constexpr const char* kLoopback = "127.0.0.1";
constexpr const char* kJson = "application/json";
// Internal marks on a response, removed before it is written.
constexpr const char* kVerbatimMark = "X-Baanx-Mock-Verbatim";
constexpr const char* kDroppedMark = "X-Baanx-Mock-Dropped";
constexpr size_t kMaxLoggedPathLength = 200;
constexpr auto kCloseMarkLifetime = std::chrono::seconds(30);

bool StartsWith(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

bool IsApiPath(const std::string& path) { return path == "/v1" || StartsWith(path, "/v1/"); }

bool IsMockPath(const std::string& path) {
  return path == "/__mock" || StartsWith(path, "/__mock/");
}

std::string DefaultErrorMessage(int status) {
  switch (status) {
    case 400:
      return "Bad request";
    case 404:
      return "Not found";
    case 405:
      return "Method not allowed";
    case 413:
      return "Request body too large";
    case 414:
      return "Request URI too long";
    case 416:
      return "Range not satisfiable";
    case 431:
      return "Request header fields too large";
    case 500:
      return "Internal server error";
    default:
      return "HTTP error " + std::to_string(status);
  }
}

std::string JsonMessage(const std::string& message) {
  // Only fixed messages come here, none with characters that need escaping.
  return R"({"message":")" + message + R"("})";
}

void WriteApiResponse(const ApiResponse& answer, httplib::Response& res, bool verbatim = false) {
  res.status = answer.status;
  for (const auto& [name, value] : answer.headers) res.set_header(name, value);
  if (answer.content_type.empty()) {
    res.body = answer.body;
  } else {
    res.set_content(answer.body, answer.content_type);
  }
  if (verbatim) res.set_header(kVerbatimMark, "1");
}

ApiRequest ToApiRequest(const httplib::Request& req, const std::string& body) {
  ApiRequest request;
  request.method = req.method;
  request.path = req.path;
  request.body = body;
  if (req.has_header("x-client-key")) request.client_key = req.get_header_value("x-client-key");
  if (req.has_header("Authorization")) {
    request.authorization = req.get_header_value("Authorization");
  }
  if (req.has_header("Content-Type")) request.content_type = req.get_header_value("Content-Type");
  for (const auto& [name, value] : req.params) request.query.emplace(name, value);
  return request;
}

std::string SanitizeForLog(const std::string& text) {
  std::string clean;
  for (char c : text.substr(0, kMaxLoggedPathLength)) {
    clean.push_back(c >= 0x21 && c <= 0x7e ? c : '?');
  }
  if (text.size() > kMaxLoggedPathLength) clean += "...";
  return clean;
}

// httplib 0.11 gives handlers no access to the connection: its socket is found by its ports.
int FindConnectionSocket(int local_port, int remote_port) {
  for (const int socket : OpenDescriptors()) {
    if (RemotePortOf(socket, local_port) == remote_port) return socket;
  }
  return -1;
}

// httplib 0.11 listens with a backlog of 5 (compiled into the library), so a burst of parallel
// connections (a browser opens six) waits for SYN retransmits. Listening again on the bound
// socket raises the backlog; only a subclass can reach that socket.
class HttpServer : public httplib::Server {
 public:
  void RaiseListenBacklog(int backlog) {
    const socket_t socket = svr_sock_;
    if (socket != INVALID_SOCKET) ::listen(socket, backlog);
  }
};

constexpr int kListenBacklog = 128;

}  // namespace

class MockHttpServer::Impl {
 public:
  explicit Impl(ServerOptions options)
      : options_(std::move(options)),
        api_(options_.config, options_.test_mode),
        files_(options_.web_root, options_.module_dir),
        guard_(options_.limits),
        work_queue_(std::make_shared<WorkQueue>(options_.limits.max_waiting_connections)) {}

  ~Impl() { Stop(); }

  bool Start(std::string* error) {
    if (thread_.joinable()) {
      if (error) *error = "already started";
      return false;
    }
    Install();
    int port = -1;
    if (options_.port == 0) {
      port = server_.bind_to_any_port(kLoopback);
    } else if (server_.bind_to_port(kLoopback, options_.port)) {
      port = options_.port;
    }
    if (port <= 0) {
      if (error) {
        *error = "cannot listen on " + std::string(kLoopback) + ":" +
                 std::to_string(options_.port) + " (port in use or not allowed)";
      }
      return false;
    }
    port_ = port;
    server_.RaiseListenBacklog(kListenBacklog);
    guard_.Start(port, [queue = work_queue_] { return queue->Waiting(); });
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() only takes effect once the accept loop runs, so wait for it.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!server_.is_running() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
  }

  void Stop() {
    {
      std::lock_guard<std::mutex> lock(stop_mutex_);
      stopping_ = true;
    }
    stop_cv_.notify_all();
    // Slow clients are cut off and a full waiting line lets the accept loop go, so that stopping
    // takes no longer than the requests now in a handler.
    guard_.CloseIdleConnections();
    work_queue_->Release();
    server_.stop();
    if (thread_.joinable()) thread_.join();
    guard_.Stop();
  }

  int port() const { return port_; }
  MockBaanx& api() { return api_; }

 private:
  void Install() {
    server_.new_task_queue = [this] {
      return new WorkerPool(work_queue_, options_.limits.worker_threads);
    };
    server_.set_address_family(AF_INET);
    // httplib's default sets SO_REUSEPORT, which lets a second server bind the same port and
    // silently share its connections; SO_REUSEADDR alone makes a busy port an error.
    // TCP_NODELAY (inherited by accepted sockets): httplib writes the headers and the body of an
    // answer separately, and with Nagle's algorithm the body then waits for the client's delayed
    // ACK on every other request.
    server_.set_tcp_nodelay(true);
    server_.set_socket_options([](socket_t socket) {
      int yes = 1;
      setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
      setsockopt(socket, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
    });
    server_.set_payload_max_length(kMaxRequestBodyBytes);
    const auto io_timeout_s = static_cast<time_t>(std::max(1, options_.io_timeout_s));
    server_.set_read_timeout(io_timeout_s);
    server_.set_write_timeout(io_timeout_s);
    server_.set_keep_alive_timeout(io_timeout_s);

    const httplib::Server::Handler plain = [this](const httplib::Request& req,
                                                  httplib::Response& res) { Handle(req, res, ""); };
    const httplib::Server::HandlerWithContentReader with_body =
        [this](const httplib::Request& req, httplib::Response& res,
               const httplib::ContentReader& reader) { HandleWithBody(req, res, reader); };
    server_.Get(".*", plain);
    server_.Options(".*", plain);
    server_.Delete(".*", plain);
    server_.Post(".*", with_body);
    server_.Put(".*", with_body);
    server_.Patch(".*", with_body);
    server_.Delete(".*", with_body);

    // Anything answered with an error status but no body (httplib's own 400/404/413/414, ...)
    // still gets the documented {"message": ...} shape.
    server_.set_error_handler(
        httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
          if (res.has_header(kVerbatimMark) || !res.body.empty()) {
            return httplib::Server::HandlerResponse::Unhandled;
          }
          res.set_content(JsonMessage(DefaultErrorMessage(res.status)), kJson);
          return httplib::Server::HandlerResponse::Handled;
        }));
    // Never let an exception's text reach the client.
    server_.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, const std::exception_ptr&) {
          res.status = 500;
          res.set_content(JsonMessage("Internal server error"), kJson);
        });
    // The library bounds each header line, not how many there are.
    server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      guard_.HeadersComplete(req.remote_port);
      if (!HeadersWithinLimits(req)) {
        CloseAfterResponse(req);  // the body, if any, is left unread
        WriteApiResponse(ApiResponse{431, kJson, JsonMessage(DefaultErrorMessage(431)), {}}, res);
        return httplib::Server::HandlerResponse::Handled;
      }
      return httplib::Server::HandlerResponse::Unhandled;
    });
    server_.set_post_routing_handler([](const httplib::Request& req, httplib::Response& res) {
      // The hooks hand out live codes and change the mock's state: only pages served by the
      // mock itself may read them, so they carry no CORS headers at all.
      if (!IsMockPath(req.path)) {
        res.set_header("Access-Control-Allow-Origin", "*");
        res.set_header("Access-Control-Expose-Headers", "Retry-After");
      }
      if (!res.has_header("Cache-Control")) res.set_header("Cache-Control", "no-store");
      res.headers.erase(kVerbatimMark);
    });
    server_.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
      if (req.remote_port > 0) guard_.AnswerSent(req.remote_port);
      ShutdownIfMarked(req);
      Log(req, res);
    });
  }

  void HandleWithBody(const httplib::Request& req, httplib::Response& res,
                      const httplib::ContentReader& reader) {
    // httplib drains and refuses over-long Content-Length bodies itself (413), but reads chunked
    // ones without a limit; the cap here covers both.
    // httplib parses multipart bodies itself and fails on them without a multipart receiver. No
    // endpoint takes one: the body is left unread (so the connection closes after the answer)
    // and the request is judged without it.
    if (req.is_multipart_form_data()) {
      CloseAfterResponse(req);
      Handle(req, res, "");
      return;
    }
    std::string body;
    bool too_large = false;
    const bool complete = reader([&](const char* data, size_t length) {
      if (body.size() + length > kMaxRequestBodyBytes) {
        too_large = true;
        return false;
      }
      body.append(data, length);
      return true;
    });
    if (!complete) {
      if (too_large || res.status == 413) {
        // Unread chunks would otherwise be parsed as the next request on this connection.
        if (too_large) CloseAfterResponse(req);
        WriteApiResponse(ApiResponse{413, kJson, JsonMessage("Request body too large"), {}}, res);
        return;
      }
      if (req.has_header("Content-Length") || req.has_header("Transfer-Encoding")) {
        CloseAfterResponse(req);
        WriteApiResponse(ApiResponse{400, kJson, JsonMessage("Malformed request body"), {}}, res);
        return;
      }
      body.clear();  // a request that simply carries no body
      res.status = -1;
    }
    Handle(req, res, body);
  }

  bool HeadersWithinLimits(const httplib::Request& req) const {
    size_t count = 0;
    size_t bytes = 0;
    for (const auto& [name, value] : req.headers) {
      // Added by httplib itself, not sent by the client.
      if (name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" ||
          name == "LOCAL_PORT") {
        continue;
      }
      ++count;
      bytes += name.size() + value.size();
    }
    return count <= options_.limits.max_header_count && bytes <= options_.limits.max_header_bytes;
  }

  void Handle(const httplib::Request& req, httplib::Response& res, const std::string& body) {
    guard_.RequestStarted(req.remote_port);
    if (req.method == "OPTIONS") {
      res.status = 204;
      if (IsMockPath(req.path)) return;  // no preflight allowance: same origin only
      res.set_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
      res.set_header("Access-Control-Allow-Headers",
                     "content-type, x-client-key, x-us-env, authorization");
      res.set_header("Access-Control-Max-Age", "600");
      return;
    }
    if (IsApiPath(req.path)) {
      HandleApi(req, res, body);
      return;
    }
    if (IsMockPath(req.path)) {
      WriteApiResponse(api_.HandleMock(ToApiRequest(req, body)), res);
      return;
    }
    if (req.method != "GET" && req.method != "HEAD") {
      ApiResponse refused{405, kJson, JsonMessage("Method not allowed"), {}};
      refused.headers.emplace_back("Allow", "GET, HEAD, OPTIONS");
      WriteApiResponse(refused, res);
      return;
    }
    const StaticResponse file = files_.Serve(req.path);
    res.status = file.status;
    res.set_content(file.body, file.content_type);
  }

  void HandleApi(const httplib::Request& req, httplib::Response& res, const std::string& body) {
    if (const auto fault = api_.TakeFault(req.path)) {
      switch (fault->kind) {
        case FaultKind::kDrop:
          Drop(req, res);
          return;
        case FaultKind::kDelay:
          SleepUnlessStopping(fault->delay_ms);
          break;  // then answer normally
        default:
          WriteApiResponse(FaultResponse(*fault, api_.NowMs()), res,
                           /*verbatim=*/fault->kind == FaultKind::kStatus);
          return;
      }
    }
    WriteApiResponse(api_.HandleApi(ToApiRequest(req, body)), res);
  }

  // Closes the connection before a single byte of the response is written.
  static void Drop(const httplib::Request& req, httplib::Response& res) {
    const int socket = FindConnectionSocket(req.local_port, req.remote_port);
    if (socket < 0) {
      WriteApiResponse(
          ApiResponse{500, kJson, JsonMessage("The drop fault could not find the connection"), {}},
          res);
      return;
    }
    shutdown(socket, SHUT_RDWR);
    // httplib still tries to write; the writes fail (SIGPIPE is ignored by httplib::Server).
    res.status = 500;
    res.set_header(kDroppedMark, "1");
  }

  void CloseAfterResponse(const httplib::Request& req) {
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard<std::mutex> lock(close_mutex_);
    // A mark whose response never reached the logger must not outlive its connection, or a
    // later connection from the same port would be closed after its first answer.
    for (auto it = close_after_response_.begin(); it != close_after_response_.end();) {
      it = now - it->second > kCloseMarkLifetime ? close_after_response_.erase(it) : std::next(it);
    }
    close_after_response_[{req.local_port, req.remote_port}] = now;
  }

  void ShutdownIfMarked(const httplib::Request& req) {
    {
      std::lock_guard<std::mutex> lock(close_mutex_);
      if (close_after_response_.erase({req.local_port, req.remote_port}) == 0) return;
    }
    const int socket = FindConnectionSocket(req.local_port, req.remote_port);
    if (socket >= 0) shutdown(socket, SHUT_RDWR);
  }

  void SleepUnlessStopping(int64_t delay_ms) {
    std::unique_lock<std::mutex> lock(stop_mutex_);
    stop_cv_.wait_for(lock, std::chrono::milliseconds(delay_ms), [this] { return stopping_; });
  }

  void Log(const httplib::Request& req, const httplib::Response& res) {
    if (!options_.log_line) return;
    // Method, path and status only: bodies, query strings and header values can hold secrets.
    std::string line = req.method.empty()
                           ? std::string("(malformed request)")
                           : SanitizeForLog(req.method) + " " + SanitizeForLog(req.path);
    line += res.has_header(kDroppedMark) ? std::string(" dropped (fault)")
                                         : " " + std::to_string(res.status);
    std::lock_guard<std::mutex> lock(log_mutex_);
    options_.log_line(line);
  }

  ServerOptions options_;
  MockBaanx api_;
  StaticFiles files_;
  ConnectionGuard guard_;
  std::shared_ptr<WorkQueue> work_queue_;
  HttpServer server_;
  std::thread thread_;
  int port_ = 0;

  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;

  std::mutex close_mutex_;
  std::map<std::pair<int, int>, std::chrono::steady_clock::time_point> close_after_response_;

  std::mutex log_mutex_;
};

MockHttpServer::MockHttpServer(ServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

MockHttpServer::~MockHttpServer() = default;

bool MockHttpServer::Start(std::string* error) { return impl_->Start(error); }

void MockHttpServer::Stop() { impl_->Stop(); }

int MockHttpServer::port() const { return impl_->port(); }

std::string MockHttpServer::BaseUrl() const {
  return "http://" + std::string(kLoopback) + ":" + std::to_string(port()) + "/";
}

MockBaanx& MockHttpServer::api() { return impl_->api(); }

}  // namespace baanx::mock
