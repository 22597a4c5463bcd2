#include "mock_server/mock_faults.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>
#include <limits>
#include <optional>

#include <nlohmann/json.hpp>

namespace baanx::mock {
namespace {

using nlohmann::json;

constexpr int64_t kMaxRetryAfterSeconds = 10LL * 365 * 24 * 3600;

struct KindName {
  FaultKind kind;
  const char* name;
};

constexpr std::array<KindName, 8> kKindNames = {{
    {FaultKind::kDelay, "delay"},
    {FaultKind::kHtml5xx, "html_5xx"},
    {FaultKind::kStatus, "status"},
    {FaultKind::kTruncatedJson, "truncated_json"},
    {FaultKind::kWrongTypes, "wrong_types"},
    {FaultKind::kDrop, "drop"},
    {FaultKind::kRateLimitSeconds, "rate_limit_seconds"},
    {FaultKind::kRateLimitDate, "rate_limit_date"},
}};

std::optional<int64_t> AsInt64(const json& value) {
  if (value.is_number_unsigned()) {
    const auto unsigned_value = value.get<uint64_t>();
    if (unsigned_value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return std::nullopt;
    }
    return static_cast<int64_t>(unsigned_value);
  }
  if (value.is_number_integer()) return value.get<int64_t>();
  return std::nullopt;
}

// Reads an optional integer field within [min, max]. Returns an error message or nullopt.
std::optional<std::string> ReadInt(const json& request, const char* field, int64_t min, int64_t max,
                                   int64_t& out) {
  const auto it = request.find(field);
  if (it == request.end()) return std::nullopt;
  const auto value = AsInt64(*it);
  if (!value || *value < min || *value > max) {
    return std::string("Field ") + field + " must be an integer between " + std::to_string(min) +
           " and " + std::to_string(max);
  }
  out = *value;
  return std::nullopt;
}

std::optional<std::string> ReadString(const json& request, const char* field, std::string& out) {
  const auto it = request.find(field);
  if (it == request.end()) return std::nullopt;
  if (!it->is_string()) return std::string("Field ") + field + " must be a string";
  out = it->get<std::string>();
  return std::nullopt;
}

bool IsLoginPath(const std::string& path) { return path == "/v1/auth/login"; }

}  // namespace

std::string FaultKindName(FaultKind kind) {
  for (const auto& entry : kKindNames) {
    if (entry.kind == kind) return entry.name;
  }
  return "unknown";
}

std::variant<Fault, std::string> ParseFault(const json& request) {
  if (!request.is_object()) return std::string("Request body must be a JSON object");
  Fault fault;

  const auto path = request.find("path");
  if (path == request.end() || !path->is_string() ||
      path->get_ref<const std::string&>().rfind("/v1/", 0) != 0) {
    return std::string("Field path must be an API path starting with /v1/");
  }
  fault.path = path->get<std::string>();

  const auto kind = request.find("kind");
  if (kind == request.end() || !kind->is_string()) {
    return std::string("Field kind must be a string");
  }
  bool known_kind = false;
  for (const auto& entry : kKindNames) {
    if (kind->get_ref<const std::string&>() == entry.name) {
      fault.kind = entry.kind;
      known_kind = true;
    }
  }
  if (!known_kind) {
    return std::string(
        "Field kind must be one of delay, html_5xx, status, truncated_json, wrong_types, drop, "
        "rate_limit_seconds, rate_limit_date");
  }

  int64_t times = 1;
  if (auto error = ReadInt(request, "times", 1, kMaxFaultTimes, times)) return *error;
  fault.times = static_cast<int>(times);

  switch (fault.kind) {
    case FaultKind::kDelay: {
      if (request.find("delayMs") == request.end()) {
        return std::string("Field delayMs is required for kind delay");
      }
      int64_t delay_ms = 0;
      if (auto error =
              ReadInt(request, "delayMs", 0, std::numeric_limits<int64_t>::max(), delay_ms)) {
        return *error;
      }
      fault.delay_ms = std::min(delay_ms, kMaxFaultDelayMs);
      break;
    }
    case FaultKind::kHtml5xx: {
      int64_t status = 502;
      if (auto error = ReadInt(request, "status", 500, 599, status)) return *error;
      fault.status = static_cast<int>(status);
      break;
    }
    case FaultKind::kStatus: {
      if (request.find("status") == request.end()) {
        return std::string("Field status is required for kind status");
      }
      int64_t status = 0;
      if (auto error = ReadInt(request, "status", 200, 599, status)) return *error;
      fault.status = static_cast<int>(status);
      if (auto error = ReadString(request, "body", fault.body)) return *error;
      if (auto error = ReadString(request, "contentType", fault.content_type)) return *error;
      if (fault.content_type.find_first_of("\r\n") != std::string::npos) {
        return std::string("Field contentType must be a single line");
      }
      if (fault.content_type.empty() && !fault.body.empty()) {
        fault.content_type = "application/json";
      }
      break;
    }
    case FaultKind::kRateLimitSeconds:
    case FaultKind::kRateLimitDate: {
      if (auto error = ReadInt(request, "seconds", 0, kMaxRetryAfterSeconds, fault.seconds)) {
        return *error;
      }
      break;
    }
    case FaultKind::kTruncatedJson:
    case FaultKind::kWrongTypes:
    case FaultKind::kDrop:
      break;
  }
  return fault;
}

ApiResponse FaultResponse(const Fault& fault, int64_t now_ms) {
  ApiResponse response;
  switch (fault.kind) {
    case FaultKind::kHtml5xx: {
      const std::string title = std::to_string(fault.status) + " Server Error";
      response.status = fault.status;
      response.content_type = "text/html; charset=utf-8";
      response.body = "<!DOCTYPE html>\n<html><head><title>" + title + "</title></head><body><h1>" +
                      title + "</h1><p>The upstream server failed.</p></body></html>\n";
      break;
    }
    case FaultKind::kStatus:
      response.status = fault.status;
      response.content_type = fault.content_type;
      response.body = fault.body;
      break;
    case FaultKind::kTruncatedJson:
      response.body = IsLoginPath(fault.path)
                          ? R"({"accessToken":"US_3f1c","userId":"9979782e-bfa2-42ed","isOtpRe)"
                          : R"({"succ)";
      break;
    case FaultKind::kWrongTypes:
      response.body =
          IsLoginPath(fault.path)
              ? R"({"accessToken":12345,"userId":42,"isOtpRequired":"yes","phoneNumber":false,)"
                R"("phase":7,"verificationState":null,"isLinked":"no"})"
              : R"({"success":"yes"})";
      break;
    case FaultKind::kRateLimitSeconds:
      response.status = 429;
      response.body = R"({"message":"Too many requests"})";
      response.headers.emplace_back("Retry-After", std::to_string(fault.seconds));
      break;
    case FaultKind::kRateLimitDate: {
      response.status = 429;
      response.body = R"({"message":"Too many requests"})";
      // Rounded up to the next whole second so a client never retries early.
      const int64_t retry_at_ms = ((now_ms + 999) / 1000) * 1000 + fault.seconds * 1000;
      response.headers.emplace_back("Retry-After", FormatHttpDate(retry_at_ms));
      break;
    }
    case FaultKind::kDelay:
    case FaultKind::kDrop:
      // Carried out by the transport; never answered from here.
      response.status = 500;
      response.body = R"({"message":"Internal server error"})";
      break;
  }
  return response;
}

std::string FormatHttpDate(int64_t epoch_ms) {
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto seconds = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  std::array<char, 64> text{};
  // Cannot fail or truncate: 64 bytes hold this format with any int year. Hence (void).
  static_cast<void>(std::snprintf(text.data(), text.size(), "%s, %02d %s %04d %02d:%02d:%02d GMT",
                                  kDays[static_cast<size_t>(utc.tm_wday) % 7], utc.tm_mday,
                                  kMonths[static_cast<size_t>(utc.tm_mon) % 12], utc.tm_year + 1900,
                                  utc.tm_hour, utc.tm_min, utc.tm_sec));
  return text.data();
}

}  // namespace baanx::mock
