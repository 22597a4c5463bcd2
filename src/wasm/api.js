// The public API of baanx-auth: a thin layer over the Embind functions, and the module's ES entry.
// The build bundles it with Emscripten's module factory, which it imports by the name the build
// points at that factory (src/wasm/CMakeLists.txt).
import BaanxModule from 'baanx-auth-emscripten';

// The core's codes (kErrorCodes in src/core/error.hpp), by name and in its order; the unit test
// tests/unit/error_codes_test.cpp holds this list and baanx-auth.d.ts's ErrorCode to that table.
const ERROR_CODES = [
  'invalid_argument', 'invalid_credentials', 'invalid_otp', 'otp_expired', 'account_locked',
  'account_disabled', 'rate_limited', 'resend_cooldown', 'invalid_client_key',
  'missing_client_key', 'unauthorized', 'server_error', 'http_error', 'invalid_response',
  'network', 'module_load', 'timeout', 'aborted',
];

/** Every code a BaanxError can carry, keyed by its upper-case name: ErrorCode.INVALID_OTP. */
export const ErrorCode = Object.freeze(
  Object.fromEntries(ERROR_CODES.map((code) => [code.toUpperCase(), code])));

/** The one error type every rejection of this module carries. */
export class BaanxError extends Error {
  constructor(code, message, { status = 0, field, retryAfterMs } = {}) {
    super(message);
    this.name = 'BaanxError';
    this.code = code;
    this.status = status;
    if (field !== undefined) this.field = field;
    if (retryAfterMs !== undefined) this.retryAfterMs = retryAfterMs;
  }
}

// A JS value as JSON text for the core, which checks types as well as contents: strings, numbers,
// booleans, null and plain structure keep their JSON types, so a number given for a password is
// still reported as the wrong type. As before, undefined becomes null (not given); functions,
// symbols and anything nested deeper than 4 levels become {}; arrays and objects keep their first
// 64 entries. JSON has no NaN or Infinity: those become 1e308, which every check refuses just as
// it refuses them (durations must be finite and at most 2^31 - 1). Lone surrogates become U+FFFD.
function encode(value, depth = 0) {
  switch (typeof value) {
    case 'string': return JSON.stringify(value.toWellFormed ? value.toWellFormed() : value);
    case 'number': return Number.isFinite(value) ? JSON.stringify(value) : '1e308';
    case 'boolean': return String(value);
    case 'undefined': return 'null';
    case 'object':
      if (value === null) return 'null';
      if (depth < 4) break;
      return '{}';
    default: return '{}';
  }
  if (Array.isArray(value)) {
    const items = [];
    for (let i = 0; i < value.length && i < 64; i++) items.push(encode(value[i], depth + 1));
    return `[${items}]`;
  }
  return `{${Object.keys(value).slice(0, 64)
    .map((key) => `${encode(key)}:${encode(value[key], depth + 1)}`)}}`;
}

// The AbortSignal of a call's options, if any.
const signalOf = (options) => (options == null ? undefined : options.signal);

let loading;

// What to look at when the .wasm did not load, in every message that names its URL.
const LOAD_HINT = 'Check locateFile (where given), that the server serves this file with the ' +
  'MIME type application/wasm, and that the bundler serves baanx-auth.wasm beside the module or ' +
  "as an asset (Vite's dev server needs baanx-auth in optimizeDeps.exclude)";

const loadError = (message) => new BaanxError('module_load',
  `The baanx-auth WebAssembly module could not be loaded: ${message}`);
const failedAt = (url, why) => loadError(`${url} ${why}. ${LOAD_HINT}.`);
const reasonOf = (cause) => (cause && cause.message ? cause.message : String(cause));

// The .wasm's URL: next to this file unless locateFile says otherwise. The literal
// new URL('baanx-auth.wasm', import.meta.url) is what bundlers look for to ship the .wasm. The
// directory given to locateFile is worked out from a copy of import.meta.url: written as
// new URL('.', import.meta.url), bundlers take it for an asset too, and Vite copies this whole
// module into the build for it and hands locateFile that copy's URL instead of a directory.
// A module run from a blob: or data: URL has no directory: locateFile gets '' and is the only way
// to the .wasm. Those two are told by their scheme rather than by new URL() throwing: in a fresh
// page the first error thrown is slow (V8 collects source positions for its stack trace).
function wasmUrl(locateFile) {
  const moduleUrl = import.meta.url;
  let directory = '';
  if (!moduleUrl.startsWith('blob:') && !moduleUrl.startsWith('data:')) {
    try {
      directory = new URL('.', moduleUrl).href;
    } catch {
      // another URL with no directory: as for blob: and data:
    }
  }
  if (!locateFile) {
    if (directory) return new URL('baanx-auth.wasm', import.meta.url).href;
    throw loadError(`this module was loaded from ${moduleUrl.split(':')[0]}: URL, which has no ` +
      'directory to find baanx-auth.wasm in: pass locateFile to createClient');
  }
  let url;
  try {
    url = locateFile('baanx-auth.wasm', directory);
  } catch (cause) {
    throw loadError(`locateFile threw: ${reasonOf(cause)}`);
  }
  if (typeof url !== 'string' && !(url instanceof URL)) {
    throw loadError(`locateFile returned ${url === null ? 'null' : typeof url}, not a URL`);
  }
  return url;
}

// Fetches, compiles and instantiates the .wasm, streaming where the server sends
// application/wasm, else from the whole response. Each way it can fail is told apart, since a
// dev server or a bundler answering an HTML page in place of a file it does not have looks like
// success to fetch. The URL in messages is the absolute one that was fetched.
async function instantiate(locateFile) {
  const given = wasmUrl(locateFile);
  let request;
  try {
    request = new Request(given, { credentials: 'same-origin' });
  } catch (cause) {
    throw failedAt(String(given), `is not a URL fetch accepts (${reasonOf(cause)})`);
  }
  const url = request.url;
  let response;
  try {
    response = await fetch(request);
  } catch (cause) {
    throw failedAt(url, `could not be fetched (${reasonOf(cause)}: offline, refused, a wrong ` +
      'host, or blocked by CORS)');
  }
  if (!response.ok) throw failedAt(url, `answered HTTP ${response.status}`);
  const type = response.headers.get('content-type');
  let wasm;
  try {
    wasm = /^application\/wasm\s*(;|$)/i.test(type ?? '')
      ? await WebAssembly.compileStreaming(response)
      : await WebAssembly.compile(await response.arrayBuffer());
  } catch (cause) {
    throw failedAt(url, `answered ${type ? `${type} content` : 'content without a Content-Type'} ` +
      `that is not WebAssembly (${reasonOf(cause)})`);
  }
  try {
    return await BaanxModule({ wasm });
  } catch (cause) {
    throw failedAt(url, `is WebAssembly but could not be instantiated (${reasonOf(cause)}): is ` +
      "it this version's baanx-auth.wasm?");
  }
}

// One instance per page, shared by every client; a failed load may be retried.
function loadModule(locateFile) {
  if (!loading) {
    loading = instantiate(locateFile).then((module) => {
      module.BaanxError = BaanxError;
      module.sessionChanged = (handle, change, record) =>
        sessionTargets.get(handle)?.(change, record);
      return module;
    }, (cause) => {
      loading = undefined;
      throw cause instanceof BaanxError ? cause : loadError(reasonOf(cause));
    });
  }
  return loading;
}

// A client the page no longer holds frees its core object, and its expiry timer and 'storage'
// listener go with it. While a call of a client is in flight the client is held here, so that
// dropping it (`await (await createClient(c)).login(x)`) never cancels that call.
const unreachable = new FinalizationRegistry(({ module, handle, links }) => {
  sessionTargets.delete(handle);
  clearTimeout(links.timer);
  if (links.onStorage) window.removeEventListener('storage', links.onStorage);
  module.close(handle);
});
const busy = new Map();  // client -> number of its calls in flight

function track(client, promise) {
  busy.set(client, (busy.get(client) ?? 0) + 1);
  const release = () => {
    const left = busy.get(client) - 1;
    if (left === 0) busy.delete(client);
    else busy.set(client, left);
  };
  promise.then(release, release);
  return promise;
}

// Sessions that outlive the page. The core decides: whether a stored record is valid, which event
// a change is, what the storage does about it, when the session has expired. This layer only does
// the I/O: it reads and writes the storage, runs the expiry timer, follows other tabs through the
// window's 'storage' event and calls the app's listeners.

// A client's handle -> where the core's news of its session go. They hold the client weakly, as
// do its timer and 'storage' listener: none of them keeps a client the page dropped alive.
const sessionTargets = new Map();

const STORAGE_METHODS = ['getItem', 'setItem', 'removeItem'];
const BAD_STORAGE = "storage must be 'memory', 'session', 'local' or an object with the " +
  'functions getItem, setItem and removeItem';

// The config as the core sees it. A custom storage goes in as an empty object: the core only needs
// to know that it is one, and what the object holds (a Storage's items, say) has no business in the
// module's memory.
function configForCore(config) {
  const storage = config?.storage;
  return storage !== null && typeof storage === 'object' ? { ...config, storage: {} } : config;
}

// The page's Storage for 'session' or 'local', or nothing. Merely reading window.localStorage throws
// where storage is blocked (a sandboxed iframe, some privacy settings): the session then lives in
// memory only.
function webStorage(kind) {
  try {
    return kind === 'local' ? window.localStorage : window.sessionStorage;
  } catch {
    return null;
  }
}

// Hands what an earlier page stored to the core, which keeps a valid session and says whether the
// value must go. A storage that throws or rejects counts as holding nothing.
async function restore(module, handle, store, key) {
  let stored;
  try {
    stored = await store.getItem(key);
  } catch {
    return;
  }
  if (!module.restoreSession(handle, encode(stored))) return;
  try {
    await store.removeItem(key);
  } catch {
    // left in place: the core refuses it again on the next load
  }
}

const ignore = () => {};

class Client {
  #module;
  #handle;
  #store;  // the Storage or the app's object; null for 'memory' or a storage that is blocked
  #key;
  #self;   // a WeakRef to this client, for what the browser calls later
  #links;  // what the finalizer undoes: { timer, onStorage }
  #listeners = new Set();  // { listener } per subscription
  #pendingWrite = null;    // the last write of a storage that answers with Promises

  constructor(module, handle, store, key, followOtherTabs) {
    this.#module = module;
    this.#handle = handle;
    this.#store = store;
    this.#key = key;
    const self = new WeakRef(this);
    const links = { timer: 0, onStorage: null };
    this.#self = self;
    this.#links = links;
    sessionTargets.set(handle, (change, record) => self.deref()?.#changed(change, record));
    if (followOtherTabs && store) {
      // Another tab's setItem or removeItem (or clear) of the key; a tab never hears its own.
      links.onStorage = (event) => {
        if (event.storageArea !== store || (event.key !== key && event.key !== null)) return;
        self.deref()?.#adopt(event.key === null ? null : event.newValue);
      };
      window.addEventListener('storage', links.onStorage);
    }
    unreachable.register(this, { module, handle, links });
    this.#armExpiry();
  }

  // The core's news of a change, from inside one of its calls: the storage and the listeners are
  // reached from a microtask, so that no code of theirs runs inside the core mid-change. That is
  // still before the call's own Promise settles (a login's callers find the record written).
  #changed({ event, storage }, record) {
    queueMicrotask(() => {
      if (storage === 'write') this.#write((store, key) => store.setItem(key, record));
      if (storage === 'remove') this.#write((store, key) => store.removeItem(key));
      this.#armExpiry();
      this.#tell(record, event);
    });
  }

  // Runs one storage write: at once while none is under way (a Web Storage is written before the
  // call's Promise settles), else after the last one, so that an async storage ends up with the
  // last change. A write that throws or rejects is dropped: the session goes on in memory.
  #write(operation) {
    const store = this.#store;
    const key = this.#key;
    if (!store) return;
    try {
      const result = this.#pendingWrite
        ? this.#pendingWrite.then(() => operation(store, key))
        : operation(store, key);
      if (typeof result?.then === 'function') {
        this.#pendingWrite = Promise.resolve(result).then(ignore, ignore);
      }
    } catch {
      // as a rejection
    }
  }

  // One timer, for the moment the session expires; at that moment the core decides whether it
  // has (a timer may also run early, or late after a sleep).
  #armExpiry() {
    clearTimeout(this.#links.timer);
    const ms = this.#module.checkExpiry(this.#handle);
    if (ms < 0) return;
    const self = this.#self;
    this.#links.timer = setTimeout(() => self.deref()?.#armExpiry(), ms);
  }

  #adopt(value) {
    this.#module.adoptStoredSession(this.#handle, encode(value));
  }

  // Each listener subscribed when the change came gets its own copy of the session, unless an
  // earlier one unsubscribed it meanwhile. One that throws is reported as an uncaught error
  // would be, and the others still hear.
  #tell(record, event) {
    for (const subscription of [...this.#listeners]) {
      if (!this.#listeners.has(subscription)) continue;
      try {
        subscription.listener(record === null ? null : JSON.parse(record), event);
      } catch (error) {
        reportError(error);
      }
    }
  }

  /**
   * Calls `listener(session, event)` on each change of the session: `'signed_in'`,
   * `'signed_out'` or `'expired'`. Returns the function that unsubscribes it.
   */
  onSessionChange(listener) {
    // Functions never reach the core, which sees JSON: this one is checked here.
    if (typeof listener !== 'function') {
      throw new BaanxError('invalid_argument',
        'onSessionChange expects a function (session, event) => { ... }', { field: 'listener' });
    }
    const subscription = { listener };
    this.#listeners.add(subscription);
    return () => {
      this.#listeners.delete(subscription);
    };
  }

  /** Password login, with `otpCode` on the second step. See js-api.md for the three results. */
  login(input, options) {
    return track(this,
      this.#module.login(this.#handle, encode(input), encode(options), signalOf(options)));
  }

  /** Sends (or resends) the SMS code for `userId`. */
  sendOtp(input, options) {
    return track(this,
      this.#module.sendOtp(this.#handle, encode(input), encode(options), signalOf(options)));
  }

  /**
   * The whole documented flow in one call: login; if a code is required, send it, await
   * `onOtpRequired({ userId, phoneNumber, codeSent, resendAvailableAt, resend, error })` for
   * the code, and log in with it; with `attempts`, ask again after a rejected code.
   */
  loginWithOtp(input, options) {
    const { onOtpRequired, ...callOptions } = options ?? {};
    const ask = typeof onOtpRequired === 'function'
      ? async ({ userId, phoneNumber, codeSent, resendAvailableAt, error }) =>
        encode(await onOtpRequired({
          userId,
          phoneNumber,
          codeSent,
          resendAvailableAt,
          resend: () => this.sendOtp({ userId }, { signal: callOptions.signal }),
          error: error ? new BaanxError(error.code, error.message, error) : null,
        }))
      : undefined;
    return track(this, this.#module.loginWithOtp(this.#handle, encode(input),
      encode(callOptions), callOptions.signal, ask));
  }

  /** Ends the session on the server; `session` is cleared whatever the server says. */
  logout(options) {
    return track(this, this.#module.logout(this.#handle, encode(options), signalOf(options)));
  }

  /** `{ accessToken, userId, expiresAt }` after a successful login, else `null`. */
  get session() {
    return JSON.parse(this.#module.session(this.#handle));
  }
}

// The module ships minified, which shortens class names: keep the real ones (BaanxError.name, and
// what a console shows for an error's constructor or a client).
Object.defineProperty(BaanxError, 'name', { value: 'BaanxError' });
Object.defineProperty(Client, 'name', { value: 'Client' });

// A path-absolute baseUrl ('/baanx') names a path on the page's own origin, which only the page
// knows: it is written out as a full URL, and every rule about it is then the core's. '//host'
// names another host, and so does '/\host' (URL parsers read that backslash as a slash): those
// stay as they are, for the core to refuse. A page with an opaque origin has none to offer.
function withPageOrigin(config) {
  const baseUrl = config?.baseUrl;
  if (typeof baseUrl !== 'string' || !/^\/(?![/\\])/.test(baseUrl)) return config;
  const origin = globalThis.location?.origin;
  if (typeof origin !== 'string' || origin === 'null') return config;
  return { ...config, baseUrl: origin + baseUrl };
}

/** Loads the module (once per page) and returns a client for one Baanx environment. */
export async function createClient(config) {
  const locateFile = config && typeof config.locateFile === 'function' ? config.locateFile : null;
  const module = await loadModule(locateFile);
  const handle = JSON.parse(module.open(encode(configForCore(withPageOrigin(config)))));
  if (typeof handle !== 'number') throw new BaanxError(handle.code, handle.message, handle);
  const { kind, key } = JSON.parse(module.storageOf(handle));
  let store = null;
  if (kind === 'custom') {
    // The core sees the config as JSON, where functions do not exist: whether the object has the
    // three it needs can only be checked here.
    if (!STORAGE_METHODS.every((name) => typeof config.storage[name] === 'function')) {
      module.close(handle);
      throw new BaanxError('invalid_argument', BAD_STORAGE, { field: 'storage' });
    }
    store = config.storage;
  } else if (kind !== 'memory') {
    store = webStorage(kind);
  }
  if (store) await restore(module, handle, store, key);
  return new Client(module, handle, store, key, kind === 'local');
}

/**
 * Diagnostics: the WebAssembly heap's bytes in use, the size of that heap, and the size of the
 * whole WebAssembly memory (after the module loaded). Steady in-use bytes over many calls show that
 * nothing leaks.
 */
export async function memoryStats() {
  const module = await loadModule(null);
  const { heapBytesInUse, heapBytesTotal, wasmMemoryBytes } = JSON.parse(module.memoryStats());
  return { heapBytesInUse, heapBytesTotal, wasmMemoryBytes };
}
