// The mock server's request handling, in test mode (every hook reachable): any method, path,
// headers and body must give a well-formed answer with a JSON body, never a crash or a hang.
//
// Input, laid out like an HTTP request (see text_input.hpp):
//   <method> <path>[?userId=<value>]
//   <x-client-key: ... and Authorization: ... header lines>
//   <empty line>
//   <body, to the end>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "mock_server/mock_baanx.hpp"
#include "text_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace baanx::mock;
  static MockBaanx mock(MockConfig{}, /*test_mode=*/true);
  baanx::fuzz::TextInput input(data, size);
  const std::string_view requestLine = input.line();
  const std::size_t space = requestLine.find(' ');
  if (space == std::string_view::npos) return 0;
  ApiRequest request;
  request.method = std::string(requestLine.substr(0, space));
  std::string_view target = requestLine.substr(space + 1);
  const std::size_t question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) {
    std::string_view query = target.substr(question + 1);
    const std::size_t equals = query.find('=');
    if (equals != std::string_view::npos)
      request.query[std::string(query.substr(0, equals))] = std::string(query.substr(equals + 1));
  }
  baanx::fuzz::readHeaders(input, [&](std::string_view name, std::string_view value) {
    if (name == "x-client-key") request.client_key = std::string(value);
    if (name == "Authorization") request.authorization = std::string(value);
    if (name == "Content-Type") request.content_type = std::string(value);
  });
  request.body = std::string(input.rest());
  // Faults are carried out by the HTTP layer, not here, and armed ones pile up in the one mock
  // that every input shares: the fault endpoint is left out.
  if (request.path == "/__mock/fault") return 0;
  ApiResponse response =
      request.path.rfind("/__mock/", 0) == 0 ? mock.HandleMock(request) : mock.HandleApi(request);
  if (response.status < 100 || response.status > 599) __builtin_trap();
  if (!response.body.empty() && response.content_type == "application/json" &&
      nlohmann::json::parse(response.body, nullptr, false).is_discarded()) {
    __builtin_trap();
  }
  return 0;
}
