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

// Fetches and compiles the .wasm (found next to this file unless locateFile says otherwise),
// streaming where the server sends application/wasm, else from the whole response. The literal
// new URL('baanx-auth.wasm', import.meta.url) is what bundlers look for to ship the .wasm. The
// directory given to locateFile is worked out from a copy of import.meta.url: written as
// new URL('.', import.meta.url), bundlers take it for an asset too, and Vite copies this whole
// module into the build for it and hands locateFile that copy's URL instead of a directory.
// A module run from a blob: or data: URL has no directory: locateFile gets '' and is the only way
// to the .wasm. Those two are told by their scheme rather than by new URL() throwing: in a fresh
// page the first error thrown costs ~1 ms (V8 collects source positions for its stack trace).
// Async, so that whatever goes wrong (locateFile throwing too) rejects.
async function compileWasm(locateFile) {
  const moduleUrl = import.meta.url;
  let directory = '';
  if (!moduleUrl.startsWith('blob:') && !moduleUrl.startsWith('data:')) {
    try {
      directory = new URL('.', moduleUrl).href;
    } catch {
      // another URL with no directory: as for blob: and data:
    }
  }
  if (!directory && !locateFile) {
    throw new Error(`this module was loaded from ${moduleUrl.split(':')[0]}: URL, which has no ` +
      'directory to find baanx-auth.wasm in: pass locateFile to createClient');
  }
  const url = locateFile
    ? locateFile('baanx-auth.wasm', directory)
    : new URL('baanx-auth.wasm', import.meta.url).href;
  const get = () => fetch(url, { credentials: 'same-origin' });
  return WebAssembly.compileStreaming(get()).catch(() => get().then((response) => {
    if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
    return response.arrayBuffer();
  }).then((bytes) => WebAssembly.compile(bytes)));
}

// One instance per page, shared by every client; a failed load may be retried.
function loadModule(locateFile) {
  if (!loading) {
    loading = compileWasm(locateFile).then((wasm) => BaanxModule({ wasm })).then((module) => {
      module.BaanxError = BaanxError;
      return module;
    }, (cause) => {
      loading = undefined;
      throw new BaanxError('network', 'The baanx-auth WebAssembly module could not be loaded: ' +
        (cause && cause.message ? cause.message : String(cause)));
    });
  }
  return loading;
}

// A client the page no longer holds frees its core object. While a call of a client is in
// flight the client is held here, so that dropping it (`await (await createClient(c)).login(x)`)
// never cancels that call.
const unreachable = new FinalizationRegistry(({ module, handle }) => module.close(handle));
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

class Client {
  #module;
  #handle;

  constructor(module, handle) {
    this.#module = module;
    this.#handle = handle;
    unreachable.register(this, { module, handle });
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

/** Loads the module (once per page) and returns a client for one Baanx environment. */
export async function createClient(config) {
  const locateFile = config && typeof config.locateFile === 'function' ? config.locateFile : null;
  const module = await loadModule(locateFile);
  const handle = JSON.parse(module.open(encode(config)));
  if (typeof handle !== 'number') throw new BaanxError(handle.code, handle.message, handle);
  return new Client(module, handle);
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
