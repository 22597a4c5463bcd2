// Runs the real baanx-mock-server binary on an ephemeral loopback port for the length of a test.
#pragma once

#include <sys/types.h>
#include <string>
#include <vector>

namespace baanx::testing {

class MockServerProcess {
 public:
  explicit MockServerProcess(std::vector<std::string> extraArgs = {"--test-mode"});
  ~MockServerProcess();
  MockServerProcess(const MockServerProcess&) = delete;
  MockServerProcess& operator=(const MockServerProcess&) = delete;

  bool running() const { return port_ != 0; }
  int port() const { return port_; }
  std::string baseUrl() const;  // "http://127.0.0.1:PORT/"

 private:
  pid_t pid_ = -1;
  int stdoutFd_ = -1;  // kept open so the server never writes into a closed pipe
  int port_ = 0;
};

}  // namespace baanx::testing
