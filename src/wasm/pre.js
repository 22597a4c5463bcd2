// Passed to Emscripten with --pre-js. Emscripten 3.1.6's MINIMAL_RUNTIME assigns the WebAssembly
// exports to `asm` without declaring it when Embind is linked, which an ES module (strict mode)
// refuses; declared here, it is a variable of the module factory like the rest.
// eslint-disable-next-line no-unused-vars
var asm;
