#include "mock_server/mock_cli.hpp"

#include <array>
#include <charconv>
#include <filesystem>
#include <optional>

namespace baanx::mock {
namespace {

std::optional<int> ParseInt(const std::string& text, int min, int max) {
  int value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  const auto [ptr, error] = std::from_chars(begin, end, value);
  if (text.empty() || error != std::errc() || ptr != end || value < min || value > max) {
    return std::nullopt;
  }
  return value;
}

bool IsTruthy(const char* value) {
  if (value == nullptr) return false;
  const std::string text(value);
  return text == "1" || text == "true" || text == "TRUE" || text == "yes";
}

struct IntFlag {
  const char* name;
  int min;
  int max;
  int MockConfig::*field;
};

}  // namespace

std::string UsageText() {
  return R"(Usage: baanx-mock-server [options]

A local stand-in for the Baanx auth API (login + SMS OTP) that also serves the demo page and the
WASM module. Listens on 127.0.0.1 only and prints one line once ready:
  Baanx mock server listening on http://127.0.0.1:PORT/

Options:
  --port N                   port to listen on; 0 picks a free one
                             (default: $BAANX_DEMO_PORT, else 8080)
  --web-root DIR             serve the demo page from DIR (/, /index.html, /app.js, ...)
  --module-dir DIR           serve /baanx-auth.mjs and /baanx-auth.wasm from DIR
  --test-mode                enable the test hooks under /__mock/ (clock, reset, config,
                             fault); also enabled by BAANX_MOCK_TEST_MODE=1
  --otp-ttl-s N              OTP code lifetime in seconds (default 300)
  --resend-cooldown-s N      minimum gap between two codes for a user (default 60)
  --max-otp-attempts N       wrong codes before the account locks (default 5)
  --lock-s N                 how long a lock lasts in seconds (default 900)
  --wrong-otp-signal 400|200 answer a wrong code with HTTP 400 (default) or with a 200 that
                             repeats isOtpRequired:true
  --help                     show this text

Client key: demo-client-key. Users (password Demo-Passw0rd!): grace@example.com (no OTP),
ada@example.com (OTP), linus@example.com (onboarding unfinished), mallory@example.com
(disabled). The last code sent to a user: GET /__mock/otp?userId=<uuid>.
)";
}

CommandLine ParseCommandLine(const std::vector<std::string>& args, const EnvLookup& env) {
  CommandLine result;
  ServerOptions& options = result.options;
  const auto fail = [&result](std::string message) {
    result.error = std::move(message);
    return result;
  };

  static const std::array<IntFlag, 4> kIntFlags = {{
      {"--otp-ttl-s", 1, kMaxDurationS, &MockConfig::otp_ttl_s},
      {"--resend-cooldown-s", 0, kMaxDurationS, &MockConfig::resend_cooldown_s},
      {"--max-otp-attempts", 1, kMaxOtpAttemptsLimit, &MockConfig::max_otp_attempts},
      {"--lock-s", 0, kMaxDurationS, &MockConfig::lock_s},
  }};

  bool port_given = false;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    std::optional<std::string> value;
    if (const auto equals = flag.find('=');
        flag.rfind("--", 0) == 0 && equals != std::string::npos) {
      value = flag.substr(equals + 1);
      flag = flag.substr(0, equals);
    }
    const auto take_value = [&]() -> std::optional<std::string> {
      if (value) return value;
      if (i + 1 < args.size()) return args[++i];
      return std::nullopt;
    };

    if (flag == "--help" || flag == "-h") {
      result.show_help = true;
      return result;
    }
    if (flag == "--test-mode") {
      if (value) return fail("--test-mode takes no value");
      options.test_mode = true;
      continue;
    }
    if (flag == "--port") {
      const auto text = take_value();
      if (!text) return fail("--port needs a value");
      const auto port = ParseInt(*text, 0, 65535);
      if (!port) return fail("--port must be a number from 0 to 65535");
      options.port = *port;
      port_given = true;
      continue;
    }
    if (flag == "--web-root" || flag == "--module-dir") {
      const auto dir = take_value();
      if (!dir || dir->empty()) return fail(flag + " needs a directory");
      (flag == "--web-root" ? options.web_root : options.module_dir) = *dir;
      continue;
    }
    if (flag == "--wrong-otp-signal") {
      const auto text = take_value();
      if (!text) return fail("--wrong-otp-signal needs a value");
      if (*text != "400" && *text != "200") return fail("--wrong-otp-signal must be 400 or 200");
      options.config.wrong_otp_signal = *text == "200" ? 200 : 400;
      continue;
    }
    bool matched = false;
    for (const auto& int_flag : kIntFlags) {
      if (flag != int_flag.name) continue;
      matched = true;
      const auto text = take_value();
      if (!text) return fail(flag + " needs a value");
      const auto number = ParseInt(*text, int_flag.min, int_flag.max);
      if (!number) {
        return fail(flag + " must be a whole number from " + std::to_string(int_flag.min) + " to " +
                    std::to_string(int_flag.max));
      }
      options.config.*int_flag.field = *number;
    }
    if (!matched) return fail("unknown option: " + flag.substr(0, 64));
  }

  if (!port_given) {
    if (const char* env_port = env ? env("BAANX_DEMO_PORT") : nullptr;
        env_port != nullptr && *env_port != '\0') {
      const auto port = ParseInt(env_port, 0, 65535);
      if (!port) return fail("BAANX_DEMO_PORT must be a number from 0 to 65535");
      options.port = *port;
    }
  }
  if (env && IsTruthy(env("BAANX_MOCK_TEST_MODE"))) options.test_mode = true;

  std::error_code error;
  if (!options.web_root.empty() && !std::filesystem::is_directory(options.web_root, error)) {
    return fail("--web-root is not a directory: " + options.web_root);
  }
  return result;
}

}  // namespace baanx::mock
