// Three pages, one per way of finding the .wasm (see the files under src/).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const page = (name) => fileURLToPath(new URL(name, import.meta.url));

export default defineConfig({
  // Only for the dev server (the README of the package says why): pre-bundling would move the
  // module away from its .wasm.
  optimizeDeps: { exclude: ['baanx-auth'] },
  build: {
    rollupOptions: {
      input: {
        main: page('index.html'),
        locateFile: page('locate-file.html'),
        wasmUrl: page('wasm-url.html'),
      },
    },
  },
});
