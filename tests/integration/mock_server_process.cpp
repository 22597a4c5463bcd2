#include "mock_server_process.hpp"

#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <regex>

namespace baanx::testing {

MockServerProcess::MockServerProcess(std::vector<std::string> extraArgs) {
  int out[2];
  if (pipe(out) != 0) return;
  std::vector<std::string> args = {BAANX_MOCK_SERVER_PATH, "--port", "0"};
  args.insert(args.end(), extraArgs.begin(), extraArgs.end());
  pid_ = fork();
  if (pid_ == 0) {
    // The server dies with the test, even when the test crashes.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  // Wait (up to 10 s) for "Baanx mock server listening on http://127.0.0.1:PORT/".
  std::string line;
  const std::regex listening(R"(listening on http://127\.0\.0\.1:(\d+)/)");
  std::smatch match;
  pollfd fd{out[0], POLLIN, 0};
  for (int waited = 0; waited < 100 && !std::regex_search(line, match, listening); ++waited) {
    if (::poll(&fd, 1, 100) <= 0) continue;
    char buffer[256];
    ssize_t n = read(out[0], buffer, sizeof buffer);
    if (n <= 0) break;
    line.append(buffer, static_cast<std::size_t>(n));
  }
  if (std::regex_search(line, match, listening)) port_ = std::atoi(match[1].str().c_str());
  stdoutFd_ = out[0];
}

MockServerProcess::~MockServerProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  if (stdoutFd_ >= 0) close(stdoutFd_);
}

std::string MockServerProcess::baseUrl() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/";
}

}  // namespace baanx::testing
