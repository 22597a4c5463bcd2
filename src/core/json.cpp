#include "core/json.hpp"

namespace baanx {

Json parseJson(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) return Json::value_t::discarded;
  return Json::parse(text.begin(), text.end(), nullptr, false);
}

const Json* member(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

}  // namespace baanx
