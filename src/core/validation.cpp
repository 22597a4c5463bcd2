#include "core/validation.hpp"

#include <cmath>

#include "core/json.hpp"
#include "core/text.hpp"

namespace baanx {
namespace {

using nlohmann::json;

bool isControlOrSpace(char c) {
  auto byte = static_cast<unsigned char>(c);
  return byte <= 0x20 || byte == 0x7f;
}

bool isDomainLabelChar(char c) {
  auto byte = static_cast<unsigned char>(c);
  return isAsciiDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
         byte >= 0x80;  // internationalised names pass through as UTF-8
}

bool isValidDomain(std::string_view domain) {
  if (domain.empty() || domain.size() > 253) return false;
  std::size_t labels = 0;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = domain.find('.', start);
    std::string_view label =
        domain.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return false;
    for (char c : label) {
      if (!isDomainLabelChar(c)) return false;
    }
    ++labels;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return labels >= 2;
}

bool isIpv4Loopback(std::string_view host) {
  int octets = 0;
  std::size_t start = 0;
  while (start <= host.size()) {
    std::size_t dot = host.find('.', start);
    std::string_view part =
        host.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (part.empty() || part.size() > 3) return false;
    int value = 0;
    for (char c : part) {
      if (!isAsciiDigit(c)) return false;
      value = value * 10 + (c - '0');
    }
    if (value > 255 || (octets == 0 && value != 127)) return false;
    ++octets;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return octets == 4;
}

Result<std::int64_t> parseDuration(const json& value, const char* field, std::int64_t minimum) {
  std::string message = std::string(field) + " must be a whole number of milliseconds from " +
                        std::to_string(minimum) + " to " + std::to_string(kMaxDurationMs);
  if (!value.is_number()) return invalidArgument(field, message);
  double ms = value.get<double>();
  if (!std::isfinite(ms) || ms < static_cast<double>(minimum) ||
      ms > static_cast<double>(kMaxDurationMs) || std::floor(ms) != ms) {
    return invalidArgument(field, message);
  }
  return static_cast<std::int64_t>(ms);
}

}  // namespace

bool isPlausibleEmail(std::string_view email) {
  if (email.size() < 3 || email.size() > 254) return false;
  std::size_t at = email.find('@');
  if (at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos)
    return false;
  std::string_view local = email.substr(0, at);
  std::string_view domain = email.substr(at + 1);
  if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.' ||
      local.find("..") != std::string_view::npos) {
    return false;
  }
  for (char c : local) {
    if (isControlOrSpace(c) || c == '"' || c == '(' || c == ')' || c == ',' || c == ':' ||
        c == ';' || c == '<' || c == '>' || c == '[' || c == ']' || c == '\\') {
      return false;
    }
  }
  return isValidDomain(domain);
}

bool isCanonicalUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !isHexDigit(text[i])) return false;
  }
  return true;
}

bool isLoopbackHost(std::string_view host) {
  return equalsIgnoreCase(host, "localhost") || host == "[::1]" || isIpv4Loopback(host);
}

std::optional<std::string> normalizeOtpCode(std::string_view code) {
  std::string_view digits = trimSpaces(code);
  if (digits.size() != 6) return std::nullopt;
  for (char c : digits) {
    if (!isAsciiDigit(c)) return std::nullopt;
  }
  return std::string(digits);
}

Result<BaseUrl> parseBaseUrl(std::string_view url) {
  const char* kField = "baseUrl";
  const std::string kMessage =
      "baseUrl must be an absolute https URL (http only for 127.0.0.1, localhost or [::1]), "
      "optionally with a path, and without credentials, query or fragment";
  for (char c : url) {
    if (isControlOrSpace(c)) return invalidArgument(kField, kMessage);
  }
  bool secure = false;
  std::size_t schemeEnd = url.find("://");
  if (schemeEnd == std::string_view::npos) return invalidArgument(kField, kMessage);
  std::string_view scheme = url.substr(0, schemeEnd);
  if (equalsIgnoreCase(scheme, "https")) {
    secure = true;
  } else if (!equalsIgnoreCase(scheme, "http")) {
    return invalidArgument(kField, kMessage);
  }
  std::string_view rest = url.substr(schemeEnd + 3);
  std::size_t authorityEnd = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authorityEnd);
  std::string_view path =
      authorityEnd == std::string_view::npos ? std::string_view() : rest.substr(authorityEnd);
  if (path.find_first_of("?#") != std::string_view::npos) return invalidArgument(kField, kMessage);
  if (authority.empty() || authority.find('@') != std::string_view::npos)
    return invalidArgument(kField, kMessage);

  std::string_view host = authority;
  std::string_view port;
  if (authority.front() == '[') {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return invalidArgument(kField, kMessage);
    host = authority.substr(0, close + 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return invalidArgument(kField, kMessage);
      port = after.substr(1);
    }
    for (char c : host.substr(1, host.size() - 2)) {
      if (!isHexDigit(c) && c != ':' && c != '.') return invalidArgument(kField, kMessage);
    }
  } else {
    std::size_t colon = authority.find(':');
    if (colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
    }
    if (host.empty()) return invalidArgument(kField, kMessage);
    for (char c : host) {
      if (!isDomainLabelChar(c) && c != '.' && c != '_') return invalidArgument(kField, kMessage);
    }
  }
  if (authority.find(':') != std::string_view::npos && authority.front() != '[' && port.empty())
    return invalidArgument(kField, kMessage);
  if (!port.empty()) {
    if (port.size() > 5) return invalidArgument(kField, kMessage);
    long value = 0;
    for (char c : port) {
      if (!isAsciiDigit(c)) return invalidArgument(kField, kMessage);
      value = value * 10 + (c - '0');
    }
    if (value < 1 || value > 65535) return invalidArgument(kField, kMessage);
  }
  if (!secure && !isLoopbackHost(host)) return invalidArgument(kField, kMessage);

  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  BaseUrl base;
  base.origin = std::string(secure ? "https://" : "http://") + std::string(authority);
  base.pathPrefix = std::string(path);
  return base;
}

Result<ClientConfig> parseClientConfig(const json& config) {
  if (!config.is_object()) return invalidArgument("config", "config must be an object");
  ClientConfig parsed;

  const json* baseUrl = member(config, "baseUrl");
  if (baseUrl == nullptr || !baseUrl->is_string())
    return invalidArgument("baseUrl", "baseUrl is required and must be a string");
  auto base = parseBaseUrl(baseUrl->get_ref<const std::string&>());
  if (!base) return base.error();
  parsed.baseUrl = std::move(base).value();

  const json* clientKey = member(config, "clientKey");
  if (clientKey == nullptr || !clientKey->is_string() ||
      trimSpaces(clientKey->get_ref<const std::string&>()).empty()) {
    return invalidArgument("clientKey", "clientKey is required and must be a non-empty string");
  }
  parsed.clientKey = clientKey->get<std::string>();
  if (!isHeaderSafe(parsed.clientKey)) {
    return invalidArgument("clientKey",
                           "clientKey must be printable ASCII: line breaks, control characters "
                           "and other letters cannot travel in its x-client-key header");
  }

  if (const json* region = member(config, "region")) {
    // Compared as text, not as json == "...", which builds a json and pulls json's whole
    // operator== into the WebAssembly module for one comparison.
    const std::string_view name =
        region->is_string() ? std::string_view(region->get_ref<const std::string&>()) : "";
    if (name == "international") {
      parsed.region = Region::kInternational;
    } else if (name == "us") {
      parsed.region = Region::kUs;
    } else {
      return invalidArgument("region", "region must be 'international' or 'us'");
    }
  }
  if (const json* timeout = member(config, "timeoutMs")) {
    auto ms = parseDuration(*timeout, "timeoutMs", 1);
    if (!ms) return ms.error();
    parsed.timeoutMs = ms.value();
  }
  if (const json* cooldown = member(config, "resendCooldownMs")) {
    auto ms = parseDuration(*cooldown, "resendCooldownMs", 0);
    if (!ms) return ms.error();
    parsed.resendCooldownMs = ms.value();
  }
  auto storage = parseSessionStorageConfig(config);
  if (!storage) return storage.error();
  parsed.storage = std::move(storage).value();
  return parsed;
}

Result<LoginInput> parseLoginInput(const json& input) {
  if (!input.is_object())
    return invalidArgument("input", "login expects an object { email, password, otpCode? }");
  LoginInput parsed;
  const json* email = member(input, "email");
  if (email == nullptr || !email->is_string() ||
      !isPlausibleEmail(trimSpaces(email->get_ref<const std::string&>()))) {
    return invalidArgument("email", "email must be an email address such as name@example.com");
  }
  parsed.email = std::string(trimSpaces(email->get_ref<const std::string&>()));

  const json* password = member(input, "password");
  if (password == nullptr || !password->is_string() ||
      password->get_ref<const std::string&>().empty()) {
    return invalidArgument("password", "password must be a non-empty string");
  }
  if (password->get_ref<const std::string&>().size() > kMaxPasswordBytes)
    return invalidArgument("password", "password is longer than 4096 bytes");
  parsed.password = password->get<std::string>();

  if (const json* otpCode = member(input, "otpCode")) {
    std::optional<std::string> code;
    if (otpCode->is_string()) code = normalizeOtpCode(otpCode->get_ref<const std::string&>());
    if (!code) {
      wipe(parsed.password);
      return invalidArgument("otpCode", "otpCode must be a string of exactly 6 digits");
    }
    parsed.otpCode = std::move(code);
  }
  return parsed;
}

Result<SendOtpInput> parseSendOtpInput(const json& input) {
  if (!input.is_object()) return invalidArgument("input", "sendOtp expects an object { userId }");
  const json* userId = member(input, "userId");
  if (userId == nullptr || !userId->is_string() ||
      !isCanonicalUuid(userId->get_ref<const std::string&>())) {
    return invalidArgument("userId",
                           "userId must be a UUID like 3f2b8c1e-0000-4000-8000-00000000a1b2");
  }
  return SendOtpInput{userId->get<std::string>()};
}

Result<CallOptions> parseCallOptions(const json& options) {
  CallOptions parsed;
  if (options.is_null()) return parsed;
  if (!options.is_object())
    return invalidArgument("options", "options must be an object { signal?, timeoutMs? }");
  if (const json* timeout = member(options, "timeoutMs")) {
    auto ms = parseDuration(*timeout, "timeoutMs", 1);
    if (!ms) return ms.error();
    parsed.timeoutMs = ms.value();
  }
  if (const json* attempts = member(options, "attempts")) {
    const bool whole = attempts->is_number_integer() || attempts->is_number_unsigned();
    const auto count = whole ? attempts->get<std::int64_t>() : 0;
    if (count < 1 || count > kMaxOtpAttempts) {
      return invalidArgument("attempts", "attempts must be a whole number from 1 to " +
                                             std::to_string(kMaxOtpAttempts));
    }
    parsed.attempts = static_cast<int>(count);
  }
  return parsed;
}

}  // namespace baanx
