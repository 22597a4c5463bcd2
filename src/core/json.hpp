// nlohmann/json as the core and the bindings use it, through its public API only.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace baanx {

using Json = nlohmann::json;

// Parses JSON text without throwing: anything that is not one complete JSON value, or that holds a
// NUL byte, is a "discarded" value. nlohmann stops reading at a NUL, which would let whatever
// follows one pass unseen; no input or documented body holds one.
Json parseJson(std::string_view text);

// The member key of an object, or nullptr when there is none. Absent, undefined (which reaches the
// core as null) and null all mean "not given", and a value that is not an object has no members, so
// a caller checks one pointer, not three cases.
const Json* member(const Json& object, const char* key);

// Overwrites every string in value, at any depth, before it is freed: inputs and records hold
// passwords, codes and tokens.
void wipeStrings(Json& value);

}  // namespace baanx
