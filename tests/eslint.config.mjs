// ESLint over the project's JavaScript: the module's own (api.js, and the Emscripten JS library
// and pre-js it links), the demo page and the tests. Paths are the repository's: ctest runs it as
// lint.eslint from the repository's root (--config takes the working directory as the base).
//   tests/node_modules/.bin/eslint --config tests/eslint.config.mjs
import js from '@eslint/js';
import globals from 'globals';

export default [
  {
    ignores: ['build/**', '**/node_modules/**', 'tests/package/consumer-app/dist/**'],
  },
  {
    files: ['src/wasm/api.js', 'web/**/*.js', 'tests/**/*.mjs', 'tests/**/*.js'],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: 'module',
      globals: { ...globals.browser },
    },
  },
  {
    // Node scripts; the functions they hand to a page (page.evaluate) run in the browser.
    files: ['tests/**/*.mjs', 'tests/**/*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    // Emscripten links these as scripts into its module factory, where its runtime's names are in
    // scope (each file lists those it uses).
    files: ['src/wasm/bindings.js', 'src/wasm/pre.js'],
    ...js.configs.recommended,
    languageOptions: { ecmaVersion: 2024, sourceType: 'script', globals: { ...globals.browser } },
  },
];
