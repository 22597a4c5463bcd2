// Validation and request building from arbitrary inputs: JSON of any shape goes through the same
// parse functions the bindings use; whatever passes must build requests whose body is valid JSON,
// whose URL is the validated origin and path prefix followed by the endpoint's path, and which
// carry the client key.
//
// Input (see text_input.hpp): the config JSON on the first line (a line that is not JSON is taken
// as the baseUrl), the call's input JSON on the second, its options JSON to the end.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/json.hpp"
#include "core/requests.hpp"
#include "core/validation.hpp"
#include "text_input.hpp"

namespace {

void checkRequest(const baanx::ClientConfig& config, const baanx::HttpRequest& request,
                  std::string_view path, std::int64_t timeout) {
  using baanx::findHeader;
  if (request.method != "POST" || request.timeoutMs != timeout) __builtin_trap();
  if (request.url.rfind(config.baseUrl.origin, 0) != 0) __builtin_trap();
  if (request.url != config.baseUrl.origin + config.baseUrl.pathPrefix + std::string(path))
    __builtin_trap();
  const std::string* key = findHeader(request.headers, "x-client-key");
  if (key == nullptr || *key != config.clientKey) __builtin_trap();
  if (nlohmann::json::parse(request.body, nullptr, false).is_discarded()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace baanx;
  using nlohmann::json;
  fuzz::TextInput input(data, size);
  const std::string_view configText = input.line();
  const std::string_view inputText = input.line();
  const std::string_view optionsText = input.rest();

  json config = json::parse(configText, nullptr, false);
  if (config.is_discarded()) {
    // Plain strings reach parseBaseUrl directly as well.
    config = json{{"baseUrl", std::string(configText)}, {"clientKey", "k"}};
  }
  auto parsedConfig = parseClientConfig(config);
  if (!parsedConfig) {
    if (parsedConfig.error().field.empty()) __builtin_trap();
    return 0;
  }
  const ClientConfig& cfg = parsedConfig.value();
  auto options = parseCallOptions(json::parse(optionsText, nullptr, false));
  const std::int64_t timeout = options ? options.value().timeoutMs.value_or(cfg.timeoutMs) : 1;

  json payload = json::parse(inputText, nullptr, false);
  if (auto login = parseLoginInput(payload)) {
    checkRequest(cfg, buildLoginRequest(cfg, login.value(), timeout), kLoginPath, timeout);
  }
  if (auto send = parseSendOtpInput(payload)) {
    checkRequest(cfg, buildSendOtpRequest(cfg, send.value(), timeout), kSendOtpPath, timeout);
  }
  // Logout sends whatever token the session holds: any text, as the bearer token.
  const HttpRequest logout = buildLogoutRequest(cfg, inputText, timeout);
  checkRequest(cfg, logout, kLogoutPath, timeout);
  const std::string* bearer = findHeader(logout.headers, "Authorization");
  if (bearer == nullptr || *bearer != "Bearer " + std::string(inputText)) __builtin_trap();
  return 0;
}
