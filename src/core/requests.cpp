#include "core/requests.hpp"

#include "core/json.hpp"
#include "core/text.hpp"

namespace baanx {
namespace {

HttpRequest jsonPost(const ClientConfig& config, std::string_view path, std::string body,
                     std::int64_t timeoutMs) {
  HttpRequest request;
  request.method = "POST";
  request.url = endpointUrl(config.baseUrl, path);
  request.headers.emplace_back("Content-Type", "application/json");
  request.headers.emplace_back("x-client-key", config.clientKey);
  if (config.region == Region::kUs) request.headers.emplace_back("x-us-env", "true");
  request.body = std::move(body);
  request.timeoutMs = timeoutMs;
  return request;
}

}  // namespace

std::string endpointUrl(const BaseUrl& base, std::string_view path) {
  std::string url;
  url.reserve(base.origin.size() + base.pathPrefix.size() + path.size());
  url += base.origin;
  url += base.pathPrefix;
  url += path;
  return url;
}

HttpRequest buildLoginRequest(const ClientConfig& config, const LoginInput& input,
                              std::int64_t timeoutMs) {
  nlohmann::json body = {{"email", input.email}, {"password", input.password}};
  if (input.otpCode) body["otpCode"] = *input.otpCode;
  // Invalid UTF-8 in a field is replaced rather than thrown on: the core never throws.
  std::string text = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  // The copies of the password and the code the object holds go before it frees them.
  wipe(body["password"].get_ref<std::string&>());
  if (input.otpCode) wipe(body["otpCode"].get_ref<std::string&>());
  return jsonPost(config, kLoginPath, std::move(text), timeoutMs);
}

HttpRequest buildSendOtpRequest(const ClientConfig& config, const SendOtpInput& input,
                                std::int64_t timeoutMs) {
  nlohmann::json body = {{"userId", input.userId}};
  return jsonPost(config, kSendOtpPath, body.dump(), timeoutMs);
}

HttpRequest buildLogoutRequest(const ClientConfig& config, std::string_view accessToken,
                               std::int64_t timeoutMs) {
  HttpRequest request = jsonPost(config, kLogoutPath, "{}", timeoutMs);
  request.headers.emplace_back("Authorization", "Bearer " + std::string(accessToken));
  return request;
}

}  // namespace baanx
