// The mock server's request handling, in test mode (every hook reachable): any method, path,
// headers and body must give a well-formed answer with a JSON body, never a crash or a hang.
#include <cstdint>
#include <string>

#include <fuzzer/FuzzedDataProvider.h>
#include <nlohmann/json.hpp>

#include "mock_server/mock_baanx.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace baanx::mock;
  static MockBaanx mock(MockConfig{}, /*test_mode=*/true);
  static const char* kPaths[] = {"/v1/auth/login", "/v1/auth/login/otp", "/v1/auth/logout",
                                 "/v1/other",      "/__mock/otp",        "/__mock/sms",
                                 "/__mock/clock",  "/__mock/reset",      "/__mock/config"};
  FuzzedDataProvider input(data, size);
  ApiRequest request;
  request.method = input.PickValueInArray({"GET", "POST", "DELETE", "PUT"});
  request.path = input.ConsumeBool() ? std::string(input.PickValueInArray(kPaths))
                                     : input.ConsumeRandomLengthString(64);
  if (input.ConsumeBool())
    request.client_key =
        input.ConsumeBool() ? "demo-client-key" : input.ConsumeRandomLengthString(32);
  if (input.ConsumeBool()) request.authorization = "Bearer " + input.ConsumeRandomLengthString(64);
  if (input.ConsumeBool()) request.query["userId"] = input.ConsumeRandomLengthString(40);
  if (input.ConsumeBool()) {
    request.content_type =
        input.ConsumeBool() ? "application/json" : input.ConsumeRandomLengthString(40);
  }
  request.body = input.ConsumeRemainingBytesAsString();
  // Delays and drops are carried out by the HTTP layer, not here: the fault endpoint is left out
  // so that the fuzzer cannot arm a sleep.
  ApiResponse response =
      request.path.rfind("/__mock/", 0) == 0 ? mock.HandleMock(request) : mock.HandleApi(request);
  if (response.status < 100 || response.status > 599) __builtin_trap();
  if (!response.body.empty() && response.content_type == "application/json" &&
      nlohmann::json::parse(response.body, nullptr, false).is_discarded()) {
    __builtin_trap();
  }
  return 0;
}
