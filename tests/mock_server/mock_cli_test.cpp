// The baanx-mock-server command line, parsed without starting anything.
#include <map>

#include <gtest/gtest.h>

#include "mock_server/mock_cli.hpp"

namespace baanx::mock {
namespace {

CommandLine Parse(const std::vector<std::string>& args,
                  const std::map<std::string, std::string>& env = {}) {
  return ParseCommandLine(args, [&env](const char* name) -> const char* {
    const auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
}

TEST(MockCli, DefaultsWithoutArgumentsOrEnvironment) {
  const CommandLine parsed = Parse({});
  ASSERT_TRUE(parsed.error.empty()) << parsed.error;
  EXPECT_FALSE(parsed.show_help);
  EXPECT_EQ(parsed.options.port, 8080);
  EXPECT_FALSE(parsed.options.test_mode);
  EXPECT_EQ(parsed.options.config.otp_ttl_s, 300);
  EXPECT_EQ(parsed.options.config.resend_cooldown_s, 60);
  EXPECT_EQ(parsed.options.config.max_otp_attempts, 5);
  EXPECT_EQ(parsed.options.config.lock_s, 900);
  EXPECT_EQ(parsed.options.config.wrong_otp_signal, 400);
  EXPECT_TRUE(parsed.options.web_root.empty());
  EXPECT_TRUE(parsed.options.module_dir.empty());
}

TEST(MockCli, ParsesEveryOption) {
  const CommandLine parsed =
      Parse({"--port", "0", "--web-root", "/tmp", "--module-dir", "/nonexistent/build",
             "--test-mode", "--otp-ttl-s", "30", "--resend-cooldown-s=5", "--max-otp-attempts", "3",
             "--lock-s", "60", "--wrong-otp-signal", "200"});
  ASSERT_TRUE(parsed.error.empty()) << parsed.error;
  EXPECT_EQ(parsed.options.port, 0);
  EXPECT_EQ(parsed.options.web_root, "/tmp");
  EXPECT_EQ(parsed.options.module_dir, "/nonexistent/build");
  EXPECT_TRUE(parsed.options.test_mode);
  EXPECT_EQ(parsed.options.config.otp_ttl_s, 30);
  EXPECT_EQ(parsed.options.config.resend_cooldown_s, 5);
  EXPECT_EQ(parsed.options.config.max_otp_attempts, 3);
  EXPECT_EQ(parsed.options.config.lock_s, 60);
  EXPECT_EQ(parsed.options.config.wrong_otp_signal, 200);
}

TEST(MockCli, PortComesFromTheEnvironmentWhenNotGiven) {
  EXPECT_EQ(Parse({}, {{"BAANX_DEMO_PORT", "9123"}}).options.port, 9123);
  EXPECT_EQ(Parse({"--port", "7000"}, {{"BAANX_DEMO_PORT", "9123"}}).options.port, 7000);
}

TEST(MockCli, BadPortInTheEnvironmentIsAnError) {
  EXPECT_FALSE(Parse({}, {{"BAANX_DEMO_PORT", "http"}}).error.empty());
  EXPECT_FALSE(Parse({}, {{"BAANX_DEMO_PORT", "70000"}}).error.empty());
}

TEST(MockCli, TestModeFromTheEnvironment) {
  EXPECT_TRUE(Parse({}, {{"BAANX_MOCK_TEST_MODE", "1"}}).options.test_mode);
  EXPECT_FALSE(Parse({}, {{"BAANX_MOCK_TEST_MODE", "0"}}).options.test_mode);
}

TEST(MockCli, HelpIsRecognised) {
  EXPECT_TRUE(Parse({"--help"}).show_help);
  EXPECT_TRUE(Parse({"-h"}).show_help);
  EXPECT_NE(UsageText().find("--wrong-otp-signal"), std::string::npos);
}

TEST(MockCli, BadValuesAreErrorsNamingTheOption) {
  const std::vector<std::vector<std::string>> bad = {
      {"--port", "65536"},
      {"--port", "-1"},
      {"--port", "80x"},
      {"--port"},
      {"--wrong-otp-signal", "500"},
      {"--otp-ttl-s", "0"},
      {"--max-otp-attempts", "0"},
      {"--lock-s", "-5"},
      {"--resend-cooldown-s", ""},
      {"--web-root", "/nonexistent-baanx-dir"},
  };
  for (const auto& args : bad) {
    const CommandLine parsed = Parse(args);
    EXPECT_FALSE(parsed.error.empty()) << args[0];
    EXPECT_NE(parsed.error.find(args[0]), std::string::npos) << parsed.error;
  }
}

TEST(MockCli, UnknownOptionIsAnError) {
  EXPECT_NE(Parse({"--verbose"}).error.find("--verbose"), std::string::npos);
  EXPECT_FALSE(Parse({"stray"}).error.empty());
  EXPECT_FALSE(Parse({"--test-mode=yes"}).error.empty());
}

}  // namespace
}  // namespace baanx::mock
