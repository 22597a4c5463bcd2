// baanx-mock-server: the local demo server and mock Baanx API. See UsageText() for the options.
#include <pthread.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "mock_server/mock_cli.hpp"
#include "mock_server/mock_http_server.hpp"

int main(int argc, char** argv) {
  using namespace baanx::mock;

  const std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  CommandLine command_line =
      ParseCommandLine(args, [](const char* name) -> const char* { return std::getenv(name); });
  if (command_line.show_help) {
    std::cout << UsageText();
    return 0;
  }
  if (!command_line.error.empty()) {
    std::cerr << "baanx-mock-server: " << command_line.error << "\n"
              << "Run baanx-mock-server --help for the options.\n";
    return 2;
  }

  // Block the stop signals before any thread starts, so only sigwait() below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  ServerOptions& options = command_line.options;
  options.log_line = [](const std::string& line) { std::cerr << line << '\n'; };
  MockHttpServer server(options);
  std::string error;
  if (!server.Start(&error)) {
    std::cerr << "baanx-mock-server: " << error << "\n";
    return 1;
  }
  if (options.test_mode) {
    std::cerr << "baanx-mock-server: test mode: /__mock/clock, reset, config and fault enabled\n";
  }
  if (options.module_dir.empty()) {
    std::cerr << "baanx-mock-server: no --module-dir: /baanx-auth.mjs will answer 404\n";
  }
  std::cout << "Baanx mock server listening on " << server.BaseUrl() << std::endl;

  int received = 0;
  sigwait(&stop_signals, &received);
  std::cerr << "baanx-mock-server: stopping\n";
  server.Stop();
  return 0;
}
