// The real baanx-mock-server binary: its command line, the listening line, signals, the log.
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <optional>
#include <regex>
#include <thread>
#include <vector>

#include "mock_test_support.hpp"

extern char** environ;

namespace baanx::mock::testing {
namespace {

using std::chrono::milliseconds;

class Child {
 public:
  Child(const std::vector<std::string>& args, const std::vector<std::string>& env_overrides) {
    int out[2];
    int err[2];
    if (pipe(out) != 0 || pipe(err) != 0) return;
    std::vector<std::string> argv_text = {BAANX_MOCK_SERVER_BINARY};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& arg : argv_text) argv.push_back(arg.data());
    argv.push_back(nullptr);

    // The parent's environment without the variables the server reads, plus the overrides.
    std::vector<std::string> env_text;
    for (char** entry = environ; *entry != nullptr; ++entry) {
      const std::string text(*entry);
      if (text.rfind("BAANX_DEMO_PORT=", 0) == 0 || text.rfind("BAANX_MOCK_TEST_MODE=", 0) == 0) {
        continue;
      }
      env_text.push_back(text);
    }
    env_text.insert(env_text.end(), env_overrides.begin(), env_overrides.end());
    std::vector<char*> envp;
    for (auto& entry : env_text) envp.push_back(entry.data());
    envp.push_back(nullptr);

    const pid_t parent = getpid();
    pid_ = fork();
    if (pid_ == 0) {
      // Only async-signal-safe calls until exec. If this test process dies (a crash), the server
      // must die too: an orphan would keep ctest's output pipes open and hang the run.
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent) _exit(127);
      dup2(out[1], STDOUT_FILENO);
      dup2(err[1], STDERR_FILENO);
      close(out[0]);
      close(out[1]);
      close(err[0]);
      close(err[1]);
      execve(argv[0], argv.data(), envp.data());
      _exit(127);
    }
    close(out[1]);
    close(err[1]);
    stdout_fd_ = out[0];
    stderr_fd_ = err[0];
  }

  ~Child() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (stdout_fd_ >= 0) close(stdout_fd_);
    if (stderr_fd_ >= 0) close(stderr_fd_);
  }

  bool started() const { return pid_ > 0; }

  // The first stdout line, without its newline; nullopt if none came in time.
  std::optional<std::string> ReadStdoutLine(milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      const auto newline = stdout_.find('\n');
      if (newline != std::string::npos) {
        std::string line = stdout_.substr(0, newline);
        stdout_.erase(0, newline + 1);
        return line;
      }
      if (!ReadSome(stdout_fd_, stdout_, deadline)) return std::nullopt;
    }
  }

  // Waits for the exit status; -1 if it did not exit in time.
  int WaitForExit(milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        DrainAfterExit();
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(milliseconds(10));
    }
    return -1;
  }

  void Signal(int signal_number) const { kill(pid_, signal_number); }

  const std::string& stdout_rest() const { return stdout_; }
  const std::string& stderr_text() const { return stderr_; }

 private:
  static bool ReadSome(int fd, std::string& into, std::chrono::steady_clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd poll_fd{fd, POLLIN, 0};
    if (poll(&poll_fd, 1, static_cast<int>(left.count())) <= 0) return false;
    char buffer[4096];
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n <= 0) return false;
    into.append(buffer, static_cast<size_t>(n));
    return true;
  }

  void DrainAfterExit() {
    const auto deadline = std::chrono::steady_clock::now() + milliseconds(500);
    while (ReadSome(stdout_fd_, stdout_, deadline)) {
    }
    while (ReadSome(stderr_fd_, stderr_, deadline)) {
    }
  }

  pid_t pid_ = -1;
  bool exited_ = false;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  std::string stdout_;
  std::string stderr_;
};

// The port in a listening line, or -1 when the line is not exactly the documented one.
int PortFromListeningLine(const std::string& line) {
  static const std::regex kLine(R"(Baanx mock server listening on http://127\.0\.0\.1:(\d+)/)");
  std::smatch match;
  if (!std::regex_match(line, match, kLine)) return -1;
  return std::stoi(match[1].str());
}

int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

// Starts the binary and returns its port, or -1 (with a test failure).
int StartAndReadPort(Child& child) {
  EXPECT_TRUE(child.started());
  const auto line = child.ReadStdoutLine(milliseconds(5000));
  EXPECT_TRUE(line.has_value()) << "no listening line within 5 s";
  if (!line) return -1;
  const int port = PortFromListeningLine(*line);
  EXPECT_GT(port, 0) << "unexpected line: " << *line;
  return port;
}

TEST(MockExecutable, PrintsOneListeningLineWithTheRealPort) {
  Child child({"--port", "0"}, {});
  const int port = StartAndReadPort(child);
  ASSERT_GT(port, 0);
  EXPECT_EQ(Request(port, "GET", "/__mock/sms").status, 200);
  child.Signal(SIGTERM);
  EXPECT_EQ(child.WaitForExit(milliseconds(5000)), 0);
  EXPECT_TRUE(child.stdout_rest().empty()) << "more stdout: " << child.stdout_rest();
}

TEST(MockExecutable, ExitsCleanlyOnSigint) {
  Child child({"--port", "0"}, {});
  ASSERT_GT(StartAndReadPort(child), 0);
  child.Signal(SIGINT);
  EXPECT_EQ(child.WaitForExit(milliseconds(5000)), 0);
}

TEST(MockExecutable, PortComesFromBaanxDemoPort) {
  const int wanted = FreeLoopbackPort();
  Child child({}, {"BAANX_DEMO_PORT=" + std::to_string(wanted)});
  EXPECT_EQ(StartAndReadPort(child), wanted);
}

TEST(MockExecutable, BusyPortExitsWithAnError) {
  ServerOptions options;
  options.port = 0;
  MockHttpServer holder(options);
  std::string error;
  ASSERT_TRUE(holder.Start(&error)) << error;
  Child child({"--port", std::to_string(holder.port())}, {});
  EXPECT_EQ(child.WaitForExit(milliseconds(5000)), 1);
  EXPECT_NE(child.stderr_text().find("cannot listen"), std::string::npos) << child.stderr_text();
}

TEST(MockExecutable, UnknownOptionExitsWith2) {
  Child child({"--frobnicate"}, {});
  EXPECT_EQ(child.WaitForExit(milliseconds(5000)), 2);
  EXPECT_NE(child.stderr_text().find("--frobnicate"), std::string::npos) << child.stderr_text();
}

TEST(MockExecutable, BadValueExitsWith2) {
  Child child({"--wrong-otp-signal", "302"}, {});
  EXPECT_EQ(child.WaitForExit(milliseconds(5000)), 2);
}

TEST(MockExecutable, HelpPrintsUsageAndExitsWith0) {
  Child child({"--help"}, {});
  EXPECT_EQ(child.WaitForExit(milliseconds(5000)), 0);
  EXPECT_NE(child.stdout_rest().find("Usage: baanx-mock-server"), std::string::npos);
}

TEST(MockExecutable, TestHooksAreOffByDefault) {
  Child child({"--port", "0"}, {});
  const int port = StartAndReadPort(child);
  ASSERT_GT(port, 0);
  EXPECT_EQ(Request(port, "POST", "/__mock/clock", {}, "{\"advanceMs\":1}").status, 404);
  EXPECT_EQ(Request(port, "POST", "/__mock/reset", {}, "{}").status, 404);
}

TEST(MockExecutable, TestModeFromFlagOrEnvironment) {
  Child by_flag({"--port", "0", "--test-mode"}, {});
  const int flag_port = StartAndReadPort(by_flag);
  ASSERT_GT(flag_port, 0);
  EXPECT_EQ(Request(flag_port, "POST", "/__mock/clock", {}, "{\"advanceMs\":1}").status, 200);

  Child by_env({"--port", "0"}, {"BAANX_MOCK_TEST_MODE=1"});
  const int env_port = StartAndReadPort(by_env);
  ASSERT_GT(env_port, 0);
  EXPECT_EQ(Request(env_port, "POST", "/__mock/clock", {}, "{\"advanceMs\":1}").status, 200);
}

TEST(MockExecutable, ListensOnLoopbackOnly) {
  Child child({"--port", "0"}, {});
  const int port = StartAndReadPort(child);
  ASSERT_GT(port, 0);
  ifaddrs* interfaces = nullptr;
  ASSERT_EQ(getifaddrs(&interfaces), 0);
  std::optional<in_addr> external;
  for (ifaddrs* entry = interfaces; entry != nullptr; entry = entry->ifa_next) {
    if (entry->ifa_addr == nullptr || entry->ifa_addr->sa_family != AF_INET) continue;
    const in_addr address = reinterpret_cast<sockaddr_in*>(entry->ifa_addr)->sin_addr;
    if ((ntohl(address.s_addr) >> 24) != 127) external = address;
  }
  freeifaddrs(interfaces);
  if (!external) GTEST_SKIP() << "no non-loopback IPv4 address on this machine";
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in target{};
  target.sin_family = AF_INET;
  target.sin_port = htons(static_cast<uint16_t>(port));
  target.sin_addr = *external;
  EXPECT_NE(connect(fd, reinterpret_cast<sockaddr*>(&target), sizeof(target)), 0)
      << "the server accepted a connection on a non-loopback address";
  close(fd);
}

TEST(MockExecutable, LogHasOneLinePerRequestAndNoSecrets) {
  Child child({"--port", "0", "--test-mode"}, {});
  const int port = StartAndReadPort(child);
  ASSERT_GT(port, 0);

  const std::string password(kDemoPassword);
  const auto login = [&](std::string_view email, const std::string& pass,
                         std::optional<std::string> code) {
    json body = {{"email", std::string(email)}, {"password", pass}};
    if (code) body["otpCode"] = *code;
    return Request(port, "POST", "/v1/auth/login", ApiHeaders(), body.dump());
  };
  std::vector<std::string> secrets = {password, std::string(kClientKey), "Wrong-Passw0rd-Typed"};
  secrets.push_back(login(kGraceEmail, password, std::nullopt).StringField("accessToken"));
  secrets.push_back(login(kAdaEmail, password, std::nullopt).StringField("accessToken"));
  login(kGraceEmail, "Wrong-Passw0rd-Typed", std::nullopt);
  Request(port, "POST", "/v1/auth/login/otp", ApiHeaders(),
          json{{"userId", std::string(kAdaUserId)}}.dump());
  const std::string code =
      Request(port, "GET", "/__mock/otp?userId=" + std::string(kAdaUserId)).StringField("code");
  ASSERT_TRUE(IsSixDigits(code)) << "no code from the mock phone";
  secrets.push_back(code);
  const HttpResult wrong =
      login(kAdaEmail, password, std::string(code == "000000" ? "111111" : "000000"));
  EXPECT_EQ(wrong.status, 400);
  const std::string session = login(kAdaEmail, password, code).StringField("accessToken");
  secrets.push_back(session);
  httplib::Headers logout_headers = ApiHeaders();
  logout_headers.emplace("Authorization", "Bearer " + session);
  EXPECT_EQ(Request(port, "POST", "/v1/auth/logout", logout_headers, "").status, 200);

  child.Signal(SIGTERM);
  ASSERT_EQ(child.WaitForExit(milliseconds(5000)), 0);
  const std::string& log = child.stderr_text();
  EXPECT_NE(log.find("POST /v1/auth/login 200\n"), std::string::npos) << "no request lines";
  EXPECT_NE(log.find("POST /v1/auth/login 401\n"), std::string::npos) << "no request lines";
  EXPECT_NE(log.find("POST /v1/auth/logout 200\n"), std::string::npos) << "no request lines";
  size_t login_lines = 0;
  for (size_t at = log.find("POST /v1/auth/login "); at != std::string::npos;
       at = log.find("POST /v1/auth/login ", at + 1)) {
    ++login_lines;
  }
  EXPECT_EQ(login_lines, 5u) << "expected one log line per login request";
  for (const auto& secret : secrets) {
    ASSERT_FALSE(secret.empty());
    EXPECT_EQ(log.find(secret), std::string::npos) << "a secret appeared in the log";
  }
}

}  // namespace
}  // namespace baanx::mock::testing
