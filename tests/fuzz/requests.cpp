// Validation and request building from arbitrary inputs: JSON of any shape goes through the same
// parse functions the bindings use; whatever passes must build a request whose body is valid JSON
// and whose URL starts with the validated origin.
#include <cstdint>
#include <string>

#include <fuzzer/FuzzedDataProvider.h>

#include "core/json.hpp"
#include "core/requests.hpp"
#include "core/validation.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace baanx;
  using nlohmann::json;
  FuzzedDataProvider input(data, size);
  const std::string configText = input.ConsumeRandomLengthString(512);
  const std::string inputText = input.ConsumeRandomLengthString(512);
  const std::string optionsText = input.ConsumeRemainingBytesAsString();

  json config = json::parse(configText, nullptr, false);
  if (config.is_discarded()) {
    // Plain strings reach parseBaseUrl directly as well.
    config = json{{"baseUrl", configText}, {"clientKey", "k"}};
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
    HttpRequest request = buildLoginRequest(cfg, login.value(), timeout);
    if (json::parse(request.body, nullptr, false).is_discarded()) __builtin_trap();
    if (request.url.rfind(cfg.baseUrl.origin, 0) != 0) __builtin_trap();
  }
  if (auto send = parseSendOtpInput(payload)) {
    HttpRequest request = buildSendOtpRequest(cfg, send.value(), timeout);
    if (json::parse(request.body, nullptr, false).is_discarded()) __builtin_trap();
  }
  return 0;
}
