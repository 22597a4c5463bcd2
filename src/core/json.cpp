#include "core/json.hpp"

#include <string>
#include <vector>

#include "core/text.hpp"

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

void wipeStrings(Json& value) {
  // A worklist rather than recursion: a server's or a storage's JSON may nest deeply.
  std::vector<Json*> pending{&value};
  while (!pending.empty()) {
    Json* next = pending.back();
    pending.pop_back();
    if (next->is_string()) {
      wipe(next->get_ref<std::string&>());
    } else if (next->is_structured()) {
      for (auto& item : *next) pending.push_back(&item);
    }
  }
}

}  // namespace baanx
