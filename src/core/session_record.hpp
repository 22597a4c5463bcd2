// The session as it outlives a page: the one record an app's storage keeps of it, the checks a
// record read back from that storage must pass before it is trusted again, and the events that tell
// an app the session changed. The bindings do the storage's I/O; every rule is here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json_fwd.hpp>

#include "core/error.hpp"

namespace baanx {

struct Session {
  std::string accessToken;
  std::string userId;
  std::int64_t expiresAt = 0;  // ms since epoch
};

// A session counts until its expiresAt, by the client's clock; from that moment it is gone, whether
// or not anyone has been told yet.
bool isSessionLive(const Session& session, std::int64_t nowMs);

// Where the session record is kept between page loads. kMemory keeps none; kCustom is the app's own
// { getItem, setItem, removeItem } object.
enum class SessionStorageKind { kMemory, kSession, kLocal, kCustom };

inline constexpr std::string_view kDefaultStorageKey = "baanx-auth.session";

struct SessionStorageConfig {
  SessionStorageKind kind = SessionStorageKind::kMemory;
  std::string key = std::string(kDefaultStorageKey);
};

// The name the bindings pick the storage by: "memory", "session", "local" or "custom".
std::string_view sessionStorageName(SessionStorageKind kind);

// The `storage` and `storageKey` members of a client config. The core sees a custom storage only
// as an object: whether its three members are functions is for the bindings to check.
Result<SessionStorageConfig> parseSessionStorageConfig(const nlohmann::json& config);

// The record is exactly {"accessToken":...,"userId":...,"expiresAt":...}, one JSON text: nothing
// else about the sign-in (no password, code or client key) is ever written anywhere.
std::string sessionRecordText(const Session& session);

// Why a stored record is not trusted. Each of these is removed from the storage and ignored.
enum class RecordFault {
  kNotText,       // the storage held something other than a string
  kTooLong,       // longer than any record this client writes
  kNotJson,       // not one JSON object
  kWrongMembers,  // a member missing, of the wrong type, or one more than the three
  kUnsafeToken,   // empty, or characters an Authorization header cannot carry
  kBadUserId,     // not a UUID
  kExpired,       // expiresAt is not after now
  kTooFarAhead,   // expiresAt is later than a session issued now would last
};

// A record read back from the storage: the session when it is one this client could have written
// and still live, else why it is not. `stored` is the value as the storage returned it (null when
// it held nothing, which is not a record: callers tell that case apart first).
std::variant<Session, RecordFault> parseSessionRecord(const nlohmann::json& stored,
                                                      std::int64_t nowMs);

// What an app hears about its session, as js-api.md names it.
enum class SessionEvent { kSignedIn, kSignedOut, kExpired };

std::string_view sessionEventName(SessionEvent event);

// What the storage does after a change: write the record, remove it, or nothing (a client without
// storage, or a change that came from the storage itself, through another page).
enum class StorageAction { kNone, kWrite, kRemove };

std::string_view storageActionName(StorageAction action);

struct SessionChange {
  SessionEvent event = SessionEvent::kSignedOut;
  std::optional<Session> session;  // the new session for kSignedIn, else nothing
  StorageAction storage = StorageAction::kNone;
};

}  // namespace baanx
