// Builds the HTTP requests of the Baanx auth API from validated inputs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/transport.hpp"
#include "core/validation.hpp"

namespace baanx {

inline constexpr std::string_view kLoginPath = "/v1/auth/login";
inline constexpr std::string_view kSendOtpPath = "/v1/auth/login/otp";
inline constexpr std::string_view kLogoutPath = "/v1/auth/logout";

// Joins a base URL (which may carry a path prefix) and an API path.
std::string endpointUrl(const BaseUrl& base, std::string_view path);

HttpRequest buildLoginRequest(const ClientConfig& config, const LoginInput& input,
                              std::int64_t timeoutMs);
HttpRequest buildSendOtpRequest(const ClientConfig& config, const SendOtpInput& input,
                                std::int64_t timeoutMs);
HttpRequest buildLogoutRequest(const ClientConfig& config, std::string_view accessToken,
                               std::int64_t timeoutMs);

}  // namespace baanx
