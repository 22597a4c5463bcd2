// Hands the package, as this app bundled it, to the test that drives the page: its namespace
// (every export), and a createClient that adds the page's own options (how it finds the .wasm).
export function expose(variant, namespace, clientOptions = {}, extra = {}) {
  window.consumer = {
    variant,
    ...extra,
    namespace,
    createClient: (config) => namespace.createClient({ ...config, ...clientOptions }),
  };
  document.body.dataset.ready = variant;
}
