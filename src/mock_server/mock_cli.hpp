// The baanx-mock-server command line, parsed apart from main() so it can be tested.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "mock_server/mock_http_server.hpp"

namespace baanx::mock {

struct CommandLine {
  ServerOptions options;
  bool show_help = false;
  std::string error;  // non-empty: the command line is unusable (exit status 2)
};

// Looks an environment variable up; nullptr when it is not set.
using EnvLookup = std::function<const char*(const char*)>;

// args: the arguments after the program name. Reads BAANX_DEMO_PORT (when --port is absent) and
// BAANX_MOCK_TEST_MODE through env.
CommandLine ParseCommandLine(const std::vector<std::string>& args, const EnvLookup& env);

std::string UsageText();

}  // namespace baanx::mock
