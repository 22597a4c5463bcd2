#include "core/session_record.hpp"

#include <cstdint>
#include <ostream>
#include <string>
#include <variant>

#include <gtest/gtest.h>

#include "core/json.hpp"
#include "core/validation.hpp"
#include "test_support.hpp"

namespace baanx {

// Lets GoogleTest print a RecordFault by name.
inline void PrintTo(RecordFault fault, std::ostream* os) {
  switch (fault) {
    case RecordFault::kNotText:
      *os << "kNotText";
      return;
    case RecordFault::kTooLong:
      *os << "kTooLong";
      return;
    case RecordFault::kNotJson:
      *os << "kNotJson";
      return;
    case RecordFault::kWrongMembers:
      *os << "kWrongMembers";
      return;
    case RecordFault::kUnsafeToken:
      *os << "kUnsafeToken";
      return;
    case RecordFault::kBadUserId:
      *os << "kBadUserId";
      return;
    case RecordFault::kExpired:
      *os << "kExpired";
      return;
    case RecordFault::kTooFarAhead:
      *os << "kTooFarAhead";
      return;
  }
}

namespace {

using fakes::describe;
using nlohmann::json;

constexpr std::int64_t kNowMs = 1700000000000;
constexpr std::int64_t kSixHoursMs = 6LL * 3600 * 1000;
constexpr const char* kToken = "US_b6b9168a-7c1e-4f0a-9d2b-3e4f5a6b7c8d";
constexpr const char* kUserId = "b6b9168c-bb56-4c6a-9c0d-4650ea74f5f9";

json record(json token, json userId, json expiresAt) {
  return {{"accessToken", std::move(token)},
          {"userId", std::move(userId)},
          {"expiresAt", std::move(expiresAt)}};
}

json validRecord() { return record(kToken, kUserId, kNowMs + kSixHoursMs); }

// The record as a storage returns it: one string of JSON text.
json stored(const json& value) { return value.dump(); }

// Why the stored value is refused; a test fails when it is accepted.
RecordFault faultOf(const json& storedValue) {
  auto parsed = parseSessionRecord(storedValue, kNowMs);
  if (std::holds_alternative<Session>(parsed)) {
    ADD_FAILURE() << "the record was accepted";
    return RecordFault::kNotText;
  }
  return std::get<RecordFault>(parsed);
}

bool accepted(const json& storedValue) {
  return std::holds_alternative<Session>(parseSessionRecord(storedValue, kNowMs));
}

// --- the record's format -------------------------------------------------------------------------

TEST(SessionRecordText, IsExactlyTheThreeMembersInTheDocumentedOrder) {
  const std::string text = sessionRecordText(Session{kToken, kUserId, 1700021600000});
  EXPECT_TRUE(text == std::string("{\"accessToken\":\"") + kToken + "\",\"userId\":\"" + kUserId +
                          "\",\"expiresAt\":1700021600000}");
}

TEST(SessionRecordText, EscapesWhatAJsonStringCannotHoldAsItIs) {
  const std::string token = "US_a\"b\\c\td";
  const std::string text = sessionRecordText(Session{token, kUserId, kNowMs + 1});
  const json parsed = parseJson(text);
  ASSERT_TRUE(parsed.is_object());
  EXPECT_TRUE(parsed["accessToken"] == token);
}

TEST(SessionRecordText, ReadsBackAsTheSameSession) {
  const Session written{kToken, kUserId, kNowMs + kSixHoursMs};
  auto parsed = parseSessionRecord(json(sessionRecordText(written)), kNowMs);
  ASSERT_TRUE(std::holds_alternative<Session>(parsed));
  const Session& read = std::get<Session>(parsed);
  EXPECT_TRUE(read.accessToken == written.accessToken);
  EXPECT_EQ(read.userId, written.userId);
  EXPECT_EQ(read.expiresAt, written.expiresAt);
}

// --- a record read back is checked again ---------------------------------------------------------

TEST(ParseSessionRecord, AcceptsARecordThisClientWrites) {
  auto parsed = parseSessionRecord(stored(validRecord()), kNowMs);
  ASSERT_TRUE(std::holds_alternative<Session>(parsed));
  EXPECT_TRUE(std::get<Session>(parsed).accessToken == kToken);
  EXPECT_EQ(std::get<Session>(parsed).userId, kUserId);
  EXPECT_EQ(std::get<Session>(parsed).expiresAt, kNowMs + kSixHoursMs);
}

TEST(ParseSessionRecord, RefusesAValueThatIsNotText) {
  EXPECT_EQ(faultOf(json(42)), RecordFault::kNotText);
  EXPECT_EQ(faultOf(json(true)), RecordFault::kNotText);
  EXPECT_EQ(faultOf(validRecord()), RecordFault::kNotText);  // an object, not its JSON text
  EXPECT_EQ(faultOf(json::array({stored(validRecord())})), RecordFault::kNotText);
}

TEST(ParseSessionRecord, RefusesTextThatIsNotAJsonObject) {
  for (const char* text : {"", "{", "not json", "null", "42", "\"text\"", "[1,2,3]",
                           R"({"accessToken":"US_x"} trailing)"}) {
    EXPECT_EQ(faultOf(json(text)), RecordFault::kNotJson) << text;
  }
}

TEST(ParseSessionRecord, RefusesTextLongerThanAnyRecord) {
  json huge = validRecord();
  huge["accessToken"] = std::string(20000, 'a');
  EXPECT_EQ(faultOf(stored(huge)), RecordFault::kTooLong);
}

TEST(ParseSessionRecord, RefusesAMissingMember) {
  for (const char* name : {"accessToken", "userId", "expiresAt"}) {
    json value = validRecord();
    value.erase(name);
    EXPECT_EQ(faultOf(stored(value)), RecordFault::kWrongMembers) << name;
  }
}

TEST(ParseSessionRecord, RefusesMembersOfTheWrongType) {
  EXPECT_EQ(faultOf(stored(record(12345, kUserId, kNowMs + 1))), RecordFault::kWrongMembers);
  EXPECT_EQ(faultOf(stored(record(nullptr, kUserId, kNowMs + 1))), RecordFault::kWrongMembers);
  EXPECT_EQ(faultOf(stored(record(kToken, json::array(), kNowMs + 1))), RecordFault::kWrongMembers);
  EXPECT_EQ(faultOf(stored(record(kToken, kUserId, std::to_string(kNowMs + 1)))),
            RecordFault::kWrongMembers);
  EXPECT_EQ(faultOf(stored(record(kToken, kUserId, 1700000000000.5))), RecordFault::kWrongMembers);
  EXPECT_EQ(faultOf(stored(record(kToken, kUserId, true))), RecordFault::kWrongMembers);
}

TEST(ParseSessionRecord, RefusesAMemberBeyondTheThree) {
  json value = validRecord();
  value["password"] = "Tr0ub4dor&3-horse";
  EXPECT_EQ(faultOf(stored(value)), RecordFault::kWrongMembers);
}

TEST(ParseSessionRecord, RefusesATokenAHeaderCannotCarry) {
  for (const char* token : {"", "US_line\nbreak", "US_carriage\rreturn", "US_escape\x1b",
                            "US_delete\x7f", "US_latin1_\xc3\xa9", "US_check_\xe2\x9c\x93"}) {
    EXPECT_EQ(faultOf(stored(record(token, kUserId, kNowMs + 1))), RecordFault::kUnsafeToken)
        << json(token).dump();
  }
  EXPECT_EQ(faultOf(json(R"({"accessToken":"US_nul\u0000","userId":")" + std::string(kUserId) +
                         R"(","expiresAt":1700000000001})")),
            RecordFault::kUnsafeToken);
}

TEST(ParseSessionRecord, AcceptsEveryTokenLoginAccepts) {
  // The same rule as a token from the server: printable ASCII and tabs.
  EXPECT_TRUE(accepted(stored(record("US_tab\tinside", kUserId, kNowMs + 1))));
  EXPECT_TRUE(
      accepted(stored(record("US_ !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", kUserId, kNowMs + 1))));
}

TEST(ParseSessionRecord, RefusesAUserIdThatIsNotAUuid) {
  for (const char* userId :
       {"", "42", "b6b9168c-bb56-4c6a-9c0d-4650ea74f5f", "not-a-uuid",
        "{b6b9168c-bb56-4c6a-9c0d-4650ea74f5f9}", "b6b9168cbb564c6a9c0d4650ea74f5f9"}) {
    EXPECT_EQ(faultOf(stored(record(kToken, userId, kNowMs + 1))), RecordFault::kBadUserId)
        << userId;
  }
}

TEST(ParseSessionRecord, RefusesARecordThatHasExpired) {
  EXPECT_EQ(faultOf(stored(record(kToken, kUserId, kNowMs))), RecordFault::kExpired);
  EXPECT_EQ(faultOf(stored(record(kToken, kUserId, kNowMs - 1))), RecordFault::kExpired);
  EXPECT_EQ(faultOf(stored(record(kToken, kUserId, 0))), RecordFault::kExpired);
  EXPECT_EQ(faultOf(stored(record(kToken, kUserId, -kSixHoursMs))), RecordFault::kExpired);
  EXPECT_TRUE(accepted(stored(record(kToken, kUserId, kNowMs + 1))));
}

TEST(ParseSessionRecord, RefusesARecordEndingLaterThanASessionIssuedNow) {
  EXPECT_TRUE(accepted(stored(record(kToken, kUserId, kNowMs + kSixHoursMs))));
  EXPECT_EQ(faultOf(stored(record(kToken, kUserId, kNowMs + kSixHoursMs + 1))),
            RecordFault::kTooFarAhead);
  EXPECT_EQ(faultOf(stored(record(kToken, kUserId, INT64_MAX))), RecordFault::kTooFarAhead);
  // Beyond int64_t: it must not wrap round into a time that passes.
  EXPECT_EQ(faultOf(stored(record(kToken, kUserId, UINT64_MAX))), RecordFault::kTooFarAhead);
  EXPECT_EQ(faultOf(stored(record(kToken, kUserId, static_cast<std::uint64_t>(INT64_MAX) + 2))),
            RecordFault::kTooFarAhead);
}

TEST(IsSessionLive, UntilItsExpiresAt) {
  const Session session{kToken, kUserId, kNowMs};
  EXPECT_TRUE(isSessionLive(session, kNowMs - 1));
  EXPECT_FALSE(isSessionLive(session, kNowMs));
  EXPECT_FALSE(isSessionLive(session, kNowMs + 1));
}

// --- the storage options of the config -----------------------------------------------------------

json config() { return {{"baseUrl", "https://dev.api.baanx.com"}, {"clientKey", "ck_test"}}; }

json configWith(const char* key, json value) {
  json result = config();
  result[key] = std::move(value);
  return result;
}

TEST(ParseSessionStorageConfig, DefaultsToMemoryUnderTheDocumentedKey) {
  for (const json& cfg : {config(), configWith("storage", nullptr)}) {
    auto parsed = parseSessionStorageConfig(cfg);
    ASSERT_TRUE(parsed.ok()) << describe(parsed.error());
    EXPECT_EQ(parsed.value().kind, SessionStorageKind::kMemory);
    EXPECT_EQ(parsed.value().key, "baanx-auth.session");
  }
}

TEST(ParseSessionStorageConfig, KnowsTheThreeNamesAndAnObject) {
  const std::pair<json, SessionStorageKind> cases[] = {
      {"memory", SessionStorageKind::kMemory},
      {"session", SessionStorageKind::kSession},
      {"local", SessionStorageKind::kLocal},
      {json::object({{"getItem", json::object()}}), SessionStorageKind::kCustom},
      {json::object(), SessionStorageKind::kCustom},
  };
  for (const auto& [value, kind] : cases) {
    auto parsed = parseSessionStorageConfig(configWith("storage", value));
    ASSERT_TRUE(parsed.ok()) << value.dump();
    EXPECT_EQ(parsed.value().kind, kind) << value.dump();
  }
}

TEST(ParseSessionStorageConfig, RefusesAnyOtherStorage) {
  for (const json& value : {json("cookie"), json("Local"), json("localStorage"), json(""), json(42),
                            json(true), json::array()}) {
    auto parsed = parseSessionStorageConfig(configWith("storage", value));
    ASSERT_FALSE(parsed.ok()) << value.dump();
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(parsed.error().field, "storage");
  }
}

TEST(ParseSessionStorageConfig, TakesAnyNonEmptyKey) {
  auto parsed = parseSessionStorageConfig(configWith("storageKey", "my-app:session"));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value().key, "my-app:session");
}

TEST(ParseSessionStorageConfig, RefusesAKeyThatIsNotANonEmptyString) {
  for (const json& value : {json(""), json(42), json::object(), json::array(), json(false)}) {
    auto parsed = parseSessionStorageConfig(configWith("storageKey", value));
    ASSERT_FALSE(parsed.ok()) << value.dump();
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(parsed.error().field, "storageKey");
  }
}

TEST(ParseSessionStorageConfig, IsPartOfTheClientConfig) {
  auto parsed = parseClientConfig(configWith("storage", "local"));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value().storage.kind, SessionStorageKind::kLocal);
  auto refused = parseClientConfig(configWith("storageKey", ""));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "storageKey");
}

// --- names the bindings use ----------------------------------------------------------------------

TEST(SessionNames, AreTheWireNames) {
  EXPECT_EQ(sessionEventName(SessionEvent::kSignedIn), "signed_in");
  EXPECT_EQ(sessionEventName(SessionEvent::kSignedOut), "signed_out");
  EXPECT_EQ(sessionEventName(SessionEvent::kExpired), "expired");
  EXPECT_EQ(storageActionName(StorageAction::kNone), "none");
  EXPECT_EQ(storageActionName(StorageAction::kWrite), "write");
  EXPECT_EQ(storageActionName(StorageAction::kRemove), "remove");
  EXPECT_EQ(sessionStorageName(SessionStorageKind::kMemory), "memory");
  EXPECT_EQ(sessionStorageName(SessionStorageKind::kSession), "session");
  EXPECT_EQ(sessionStorageName(SessionStorageKind::kLocal), "local");
  EXPECT_EQ(sessionStorageName(SessionStorageKind::kCustom), "custom");
}

}  // namespace
}  // namespace baanx
