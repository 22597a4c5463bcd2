// Fault injection for the test mode: what a test can arm through POST /__mock/fault, and the
// misbehaving answers it produces. Transport-level faults (delay, drop) are carried out by the
// HTTP layer; the rest become ordinary responses here.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace baanx::mock {

enum class FaultKind {
  kDelay,             // sleep delay_ms, then answer normally
  kHtml5xx,           // an HTML error page with a 5xx status
  kStatus,            // status, body and content type verbatim
  kTruncatedJson,     // 200 application/json cut mid-object
  kWrongTypes,        // 200 with the documented fields in the wrong JSON types
  kDrop,              // close the connection without any response
  kRateLimitSeconds,  // 429, Retry-After: <seconds>
  kRateLimitDate,     // 429, Retry-After: <IMF-fixdate, seconds from the mock's clock>
};

inline constexpr int64_t kMaxFaultDelayMs = 60'000;
inline constexpr int kMaxFaultTimes = 1000;

struct Fault {
  std::string path;  // the API path it applies to, e.g. /v1/auth/login
  FaultKind kind = FaultKind::kStatus;
  int times = 1;
  int64_t delay_ms = 0;
  int status = 0;
  std::string body;
  std::string content_type;
  int64_t seconds = 30;
};

// A ready HTTP answer the mock produces (API responses and non-transport faults).
struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// Parses the body of POST /__mock/fault. Either the fault or a message naming the bad field.
std::variant<Fault, std::string> ParseFault(const nlohmann::json& request);

std::string FaultKindName(FaultKind kind);

// The answer for a fault that is not carried out by the transport (not delay, not drop).
ApiResponse FaultResponse(const Fault& fault, int64_t now_ms);

// An IMF-fixdate (RFC 9110), e.g. "Sun, 06 Nov 1994 08:49:37 GMT", for ms since the epoch.
std::string FormatHttpDate(int64_t epoch_ms);

}  // namespace baanx::mock
