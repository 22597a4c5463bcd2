// Copyright 2012 The Emscripten Authors.  All rights reserved.
// Emscripten is available under two separate licenses, the MIT license and the
// University of Illinois/NCSA Open Source License.  Both these licenses can be
// found in the LICENSE file.
//
// (Emscripten's LICENSE file: https://github.com/emscripten-core/emscripten/blob/3.1.6/LICENSE;
// on Debian, /usr/share/doc/emscripten/copyright.)
//
// Embind's registration of its built-in types, for the types this module uses and no others.
//
// A trimmed copy of system/lib/embind/bind.cpp from Emscripten 3.1.6 (Debian's emscripten
// package). `--bind` (that is, -lembind) links that file whole, as a forced system library, and
// its constructor makes 38 registrations, one for every type Embind knows: void, bool, nine
// integer types, int64_t and uint64_t, float and double, std::string and
// std::basic_string<unsigned char>, std::wstring, std::u16string, std::u32string, emscripten::val
// and 17 memory_view types (18 where long double is double, which it is not in wasm). Each costs
// code and an import in the .wasm, its JS in the .mjs (UTF-16 and UTF-32 conversion, typed-array
// views) and time at start-up. This module links Embind's JS library without that file
// (src/wasm/CMakeLists.txt) and compiles this one in its place, which registers only the types
// that cross the boundary in bindings.cpp, as parameters and results of its functions and in
// emscripten::val's own conversions: void, bool, int, double, std::string and emscripten::val.
//
// Removed from the original: the other registrations, with their helpers (register_integer,
// register_bigint, register_float, register_memory_view, TypedArrayIndex, getTypedArrayIndex);
// __getTypeName's demangling branch (USE_CXA_DEMANGLE, never defined for Emscripten's libembind);
// and EMSCRIPTEN_KEEPALIVE on the registration function, which only a pthread's worker.js calls
// by name (the module has no threads). The registration function is renamed accordingly.
//
// A type not registered here fails only when used: a binding that takes or returns it throws
// "Cannot call <name> due to unbound types: <type id>" when JS calls it, an emscripten::val
// conversion "... has unknown type <type id>". A new type in the bindings is registered here.
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <typeinfo>

#include <emscripten/bind.h>
#include <emscripten/emscripten.h>
#include <emscripten/val.h>
#include <emscripten/wire.h>

using namespace emscripten;

extern "C" {
// Names a type in Embind's error messages (embind.js's getTypeName calls it). Unchanged from the
// original but for the branch noted above: without RTTI (has_unbound_type_names is false) a type
// is named by its id's address.
const char* EMSCRIPTEN_KEEPALIVE __getTypeName(const std::type_info* ti) {
  if (has_unbound_type_names) {
    return strdup(ti->name());
  } else {
    char str[80];
    sprintf(str, "%p", reinterpret_cast<const void*>(ti));
    return strdup(str);
  }
}
}

namespace {

// Run as a global constructor, as the original's __embind_register_native_and_builtin_types is.
// The order against EMSCRIPTEN_BINDINGS does not matter: embind.js binds a function once all the
// types it names are registered.
__attribute__((constructor)) void registerBuiltinTypes() {
  using namespace emscripten::internal;

  _embind_register_void(TypeID<void>::get(), "void");

  _embind_register_bool(TypeID<bool>::get(), "bool", sizeof(bool), true, false);

  _embind_register_integer(TypeID<int>::get(), "int", sizeof(int), std::numeric_limits<int>::min(),
                           std::numeric_limits<int>::max());

  _embind_register_float(TypeID<double>::get(), "double", sizeof(double));

  _embind_register_std_string(TypeID<std::string>::get(), "std::string");
  _embind_register_emval(TypeID<val>::get(), "emscripten::val");
}

}  // namespace
