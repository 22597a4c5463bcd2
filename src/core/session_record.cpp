#include "core/session_record.hpp"

#include <cstdint>
#include <limits>

#include "core/json.hpp"
#include "core/responses.hpp"  // kSessionLifetimeMs
#include "core/text.hpp"
#include "core/validation.hpp"  // isCanonicalUuid

namespace baanx {
namespace {

using nlohmann::json;

// Far more than a record of any token a header can carry in practice, and little enough that
// whatever else an app or an extension left under the key is refused before it is parsed.
constexpr std::size_t kMaxRecordBytes = std::size_t{16} * 1024;

// Appends text as the inside of a JSON string. Tokens and user ids are printable ASCII (login and
// restore check them), so only quotes, backslashes and the tab a header allows need escaping;
// other control bytes are escaped too, so that the record stays JSON whatever it is given.
void appendJsonEscaped(std::string& out, std::string_view text) {
  constexpr std::string_view kHex = "0123456789abcdef";
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      out += "\\u00";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
}

std::variant<Session, RecordFault> checkRecord(const json& record, std::int64_t nowMs) {
  if (!record.is_object()) return RecordFault::kNotJson;
  const auto token = record.find("accessToken");
  const auto userId = record.find("userId");
  const auto expiresAt = record.find("expiresAt");
  if (record.size() != 3 || token == record.end() || !token->is_string() ||
      userId == record.end() || !userId->is_string() || expiresAt == record.end() ||
      !expiresAt->is_number_integer()) {
    return RecordFault::kWrongMembers;
  }
  // The rule login applies to the token it hands out: a stored one is sent the same way.
  const auto& tokenText = token->get_ref<const std::string&>();
  if (tokenText.empty() || !isHeaderSafe(tokenText)) return RecordFault::kUnsafeToken;
  if (!isCanonicalUuid(userId->get_ref<const std::string&>())) return RecordFault::kBadUserId;
  // Read through the unsigned value when it is one: a huge positive number must not wrap into the
  // past or the near future.
  constexpr auto kLatest = std::numeric_limits<std::int64_t>::max();
  const bool hugeUnsigned = expiresAt->is_number_unsigned() &&
                            expiresAt->get<std::uint64_t>() > static_cast<std::uint64_t>(kLatest);
  const std::int64_t expires = hugeUnsigned ? kLatest : expiresAt->get<std::int64_t>();
  Session session{tokenText, userId->get<std::string>(), expires};
  if (!isSessionLive(session, nowMs)) return RecordFault::kExpired;
  // A session is issued for kSessionLifetimeMs: a record ending later was not written by this
  // client on this clock (or the clock was set back since), and is not trusted.
  if (expires > nowMs + kSessionLifetimeMs) return RecordFault::kTooFarAhead;
  return session;
}

}  // namespace

bool isSessionLive(const Session& session, std::int64_t nowMs) { return nowMs < session.expiresAt; }

std::string_view sessionStorageName(SessionStorageKind kind) {
  switch (kind) {
    case SessionStorageKind::kSession:
      return "session";
    case SessionStorageKind::kLocal:
      return "local";
    case SessionStorageKind::kCustom:
      return "custom";
    case SessionStorageKind::kMemory:
      break;
  }
  return "memory";
}

Result<SessionStorageConfig> parseSessionStorageConfig(const json& config) {
  SessionStorageConfig parsed;
  if (const json* storage = member(config, "storage")) {
    const std::string_view name =
        storage->is_string() ? std::string_view(storage->get_ref<const std::string&>()) : "";
    if (storage->is_object()) {
      parsed.kind = SessionStorageKind::kCustom;
    } else if (name == "memory") {
      parsed.kind = SessionStorageKind::kMemory;
    } else if (name == "session") {
      parsed.kind = SessionStorageKind::kSession;
    } else if (name == "local") {
      parsed.kind = SessionStorageKind::kLocal;
    } else {
      return invalidArgument("storage",
                             "storage must be 'memory', 'session', 'local' or an object with the "
                             "functions getItem, setItem and removeItem");
    }
  }
  if (const json* key = member(config, "storageKey")) {
    if (!key->is_string() || key->get_ref<const std::string&>().empty())
      return invalidArgument("storageKey", "storageKey must be a non-empty string");
    parsed.key = key->get<std::string>();
  }
  return parsed;
}

std::string sessionRecordText(const Session& session) {
  // Written by hand: a json object would sort the members, and the record's order is the one
  // js-api.md shows; nor is there a temporary copy of the token to leave behind.
  std::string text = R"({"accessToken":")";
  appendJsonEscaped(text, session.accessToken);
  text += R"(","userId":")";
  appendJsonEscaped(text, session.userId);
  text += R"(","expiresAt":)";
  text += std::to_string(session.expiresAt);
  text += '}';
  return text;
}

std::variant<Session, RecordFault> parseSessionRecord(const json& stored, std::int64_t nowMs) {
  if (!stored.is_string()) return RecordFault::kNotText;
  const auto& text = stored.get_ref<const std::string&>();
  if (text.size() > kMaxRecordBytes) return RecordFault::kTooLong;
  json record = parseJson(text);
  auto checked = checkRecord(record, nowMs);
  wipeStrings(record);
  return checked;
}

std::string_view sessionEventName(SessionEvent event) {
  switch (event) {
    case SessionEvent::kSignedIn:
      return "signed_in";
    case SessionEvent::kExpired:
      return "expired";
    case SessionEvent::kSignedOut:
      break;
  }
  return "signed_out";
}

std::string_view storageActionName(StorageAction action) {
  switch (action) {
    case StorageAction::kWrite:
      return "write";
    case StorageAction::kRemove:
      return "remove";
    case StorageAction::kNone:
      break;
  }
  return "none";
}

}  // namespace baanx
