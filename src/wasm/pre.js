// Emscripten 3.1.6's MINIMAL_RUNTIME assigns the wasm exports to `asm` without declaring it when
// Embind is linked in: an error in strict mode, which an ES module is. Declare it.
var asm;
