#include "core/transport.hpp"

#include "core/text.hpp"

namespace baanx {

const std::string* findHeader(const HttpHeaders& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (equalsIgnoreCase(key, name)) return &value;
  }
  return nullptr;
}

}  // namespace baanx
