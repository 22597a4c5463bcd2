// AuthClient's part in sessions that outlive the page: restoring a stored record, following
// another page's changes, expiring, and telling the listener what each change is.
#include <algorithm>
#include <utility>
#include <variant>

#include "core/auth_client.hpp"
#include "core/text.hpp"

namespace baanx {

void AuthClient::setSessionListener(SessionListener listener) {
  sessionListener_ = std::move(listener);
}

StorageAction AuthClient::restoreSession(const nlohmann::json& stored) {
  if (stored.is_null()) return StorageAction::kNone;
  auto parsed = parseSessionRecord(stored, clock_.nowMs());
  auto* session = std::get_if<Session>(&parsed);
  if (session == nullptr) return StorageAction::kRemove;
  if (session_) wipe(session_->accessToken);
  session_ = std::move(*session);
  return StorageAction::kNone;
}

void AuthClient::adoptStoredSession(const nlohmann::json& stored) {
  // Whatever this client does, the storage holds it already: the other page wrote it.
  if (stored.is_null()) {
    if (!session_) return;
    // Both pages' timers are due at the same moment; whichever runs first removes the record.
    const bool live = isSessionLive(*session_, clock_.nowMs());
    endSession(live ? SessionEvent::kSignedOut : SessionEvent::kExpired, StorageAction::kNone);
    return;
  }
  auto parsed = parseSessionRecord(stored, clock_.nowMs());
  auto* session = std::get_if<Session>(&parsed);
  // Not a record this client writes: nothing another page of this client did, so nothing to
  // follow (and not this page's to remove).
  if (session == nullptr) return;
  if (session_ && session_->accessToken == session->accessToken) {
    wipe(session->accessToken);
    return;
  }
  if (session_) wipe(session_->accessToken);
  session_ = std::move(*session);
  sessionChanged(SessionEvent::kSignedIn, StorageAction::kNone);
}

std::optional<std::int64_t> AuthClient::expireIfDue() {
  if (!session_) return std::nullopt;
  const std::int64_t now = clock_.nowMs();
  if (isSessionLive(*session_, now)) {
    // Never later than a browser timer can wait; it is asked again then.
    return std::min(session_->expiresAt - now, kMaxDurationMs);
  }
  endSession(SessionEvent::kExpired, StorageAction::kRemove);
  return std::nullopt;
}

void AuthClient::endSession(SessionEvent event, StorageAction storage) {
  if (!session_) return;
  wipe(session_->accessToken);
  session_.reset();
  sessionChanged(event, storage);
}

void AuthClient::sessionChanged(SessionEvent event, StorageAction storage) {
  if (!sessionListener_) return;
  SessionChange change;
  change.event = event;
  if (event == SessionEvent::kSignedIn) change.session = session_;
  change.storage =
      config_.storage.kind == SessionStorageKind::kMemory ? StorageAction::kNone : storage;
  sessionListener_(change);
  if (change.session) wipe(change.session->accessToken);
}

}  // namespace baanx
