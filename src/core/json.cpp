#include "core/json.hpp"

namespace baanx {

Json parseJson(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) return Json::value_t::discarded;
  return Json::parse(text.begin(), text.end(), nullptr, false);
}

}  // namespace baanx
