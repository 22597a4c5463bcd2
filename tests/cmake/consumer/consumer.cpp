// Calls the core as an app would, through the headers and the include path baanx::core gives.
#include "core/error.hpp"
#include "core/json.hpp"
#include "core/validation.hpp"

int main() {
  const baanx::Json input = {{"email", "not an address"}, {"password", "x"}};
  const auto parsed = baanx::parseLoginInput(input);
  const bool refused = !parsed.ok() && parsed.error().code == baanx::ErrorCode::kInvalidArgument &&
                       baanx::errorCodeName(parsed.error().code) == "invalid_argument";
  return refused ? 0 : 1;
}
