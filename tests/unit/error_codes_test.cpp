// The error codes have one source, the core's table (kErrorCodes in src/core/error.hpp). The JS
// layer lists their names twice by hand: ERROR_CODES in src/wasm/api.js, from which the ErrorCode
// object apps use is built, and the ErrorCode object type of src/wasm/package/baanx-auth.d.ts. Both
// must hold exactly the table's names, in its order, or an app could be told of a code it cannot
// name, or offered one the module never reports.
#include <cctype>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/error.hpp"

namespace baanx {
namespace {

using ::testing::ElementsAreArray;

std::vector<std::string> coreNames() {
  std::vector<std::string> names;
  for (const ErrorCodeInfo& row : kErrorCodes) names.emplace_back(row.name);
  return names;
}

std::string readSource(const std::string& relativePath) {
  std::ifstream file(std::string(BAANX_SOURCE_DIR) + "/" + relativePath, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// The text between the first `begin` and the next `end`; empty when either is missing, which the
// tests report as an empty list rather than as a match.
std::string between(const std::string& text, std::string_view begin, std::string_view end) {
  const std::size_t start = text.find(begin);
  if (start == std::string::npos) return {};
  const std::size_t stop = text.find(end, start + begin.size());
  if (stop == std::string::npos) return {};
  return text.substr(start + begin.size(), stop - start - begin.size());
}

std::string upperCase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// The strings of api.js's `const ERROR_CODES = [...]`, in order.
std::vector<std::string> apiJsNames() {
  const std::string list = between(readSource("src/wasm/api.js"), "const ERROR_CODES = [", "];");
  std::vector<std::string> names;
  const std::regex quoted("'([^']*)'");
  for (std::sregex_iterator it(list.begin(), list.end(), quoted), end; it != end; ++it)
    names.push_back((*it)[1]);
  return names;
}

struct DtsMember {
  std::string key;
  std::string value;
};

// The `KEY: 'value';` members of the .d.ts's `export declare const ErrorCode: Readonly<{...}>`, in
// order; its TSDoc comments are skipped.
std::vector<DtsMember> dtsMembers() {
  const std::string body = between(readSource("src/wasm/package/baanx-auth.d.ts"),
                                   "export declare const ErrorCode: Readonly<{", "}>;");
  std::vector<DtsMember> members;
  const std::regex member(R"(\s*([A-Za-z_]+): '([^']*)';\s*)");
  std::istringstream lines(body);
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_match(line, match, member)) members.push_back({match[1], match[2]});
  }
  return members;
}

TEST(ErrorCodes, TableNamesAreDistinctSnakeCase) {
  std::set<std::string> seen;
  for (const std::string& name : coreNames()) {
    EXPECT_TRUE(std::regex_match(name, std::regex("[a-z]+(_[a-z]+)*"))) << name;
    EXPECT_TRUE(seen.insert(name).second) << name << " appears twice";
  }
}

TEST(ErrorCodes, NameAndDefaultMessageComeFromTheTable) {
  for (const ErrorCodeInfo& row : kErrorCodes) {
    EXPECT_EQ(errorCodeName(row.code), row.name);
    EXPECT_EQ(makeError(row.code, 503).message, defaultMessage(row.code, 503)) << row.name;
    EXPECT_EQ(defaultMessage(row.code, 503).rfind(row.message, 0), 0u) << row.name;
  }
  EXPECT_EQ(defaultMessage(ErrorCode::kServerError, 503), "The server failed with HTTP 503.");
}

TEST(ErrorCodes, ApiJsListsTheTableInOrder) {
  EXPECT_THAT(apiJsNames(), ElementsAreArray(coreNames()));
}

TEST(ErrorCodes, DtsErrorCodeListsTheTableInOrder) {
  std::vector<std::string> values;
  for (const DtsMember& member : dtsMembers()) {
    values.push_back(member.value);
    // api.js keys each code by its upper-case name: the type must say the same.
    EXPECT_EQ(member.key, upperCase(member.value));
  }
  EXPECT_THAT(values, ElementsAreArray(coreNames()));
}

}  // namespace
}  // namespace baanx
