// The public API of baanx-auth (see js-api.md): a thin layer over the Embind functions. Appended
// to the Emscripten output, so BaanxModule (the module factory) is in scope.

const ERROR_CODES = [
  'invalid_argument', 'invalid_credentials', 'invalid_otp', 'otp_expired', 'account_locked',
  'account_disabled', 'rate_limited', 'resend_cooldown', 'invalid_client_key',
  'missing_client_key', 'unauthorized', 'server_error', 'http_error', 'invalid_response',
  'network', 'timeout', 'aborted',
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

let loading;

// One instance per page, shared by every client; a failed load may be retried.
function loadModule(locateFile) {
  if (!loading) {
    loading = BaanxModule(locateFile ? { locateFile } : {}).then((module) => {
      module.init(BaanxError);
      return module;
    }, (cause) => {
      loading = undefined;
      throw new BaanxError('network', 'The baanx-auth WebAssembly module could not be loaded: ' +
        (cause && cause.message ? cause.message : String(cause)));
    });
  }
  return loading;
}

class Client {
  #module;
  #handle;

  constructor(module, handle) {
    this.#module = module;
    this.#handle = handle;
  }

  /** Password login, with `otpCode` on the second step. See js-api.md for the three results. */
  login(input, options) {
    return this.#module.login(this.#handle, input, options);
  }

  /** Sends (or resends) the SMS code for `userId`. */
  sendOtp(input, options) {
    return this.#module.sendOtp(this.#handle, input, options);
  }

  /**
   * The whole documented flow in one call: login; if a code is required, send it, await
   * `onOtpRequired({ userId, phoneNumber, resend })` for the code, and log in with it.
   */
  loginWithOtp(input, options) {
    const { onOtpRequired, ...callOptions } = options ?? {};
    const ask = typeof onOtpRequired === 'function'
      ? async (userId, phoneNumber) => onOtpRequired({
        userId,
        phoneNumber,
        resend: () => this.sendOtp({ userId }, { signal: callOptions.signal }),
      })
      : undefined;
    return this.#module.loginWithOtp(this.#handle, input, callOptions, ask);
  }

  /** Ends the session on the server; `session` is cleared whatever the server says. */
  logout(options) {
    return this.#module.logout(this.#handle, options);
  }

  /** `{ accessToken, userId, expiresAt }` after a successful login, else `null`. */
  get session() {
    return this.#module.session(this.#handle);
  }
}

/** Loads the module (once per page) and returns a client for one Baanx environment. */
export async function createClient(config) {
  const locateFile = config && typeof config.locateFile === 'function' ? config.locateFile : null;
  const module = await loadModule(locateFile);
  const handle = module.open(config);
  if (typeof handle !== 'number') throw handle;
  return new Client(module, handle);
}

/**
 * Diagnostics: the WebAssembly heap's bytes in use and its total size (after the module loaded).
 * Steady in-use bytes over many calls show that nothing leaks.
 */
export async function memoryStats() {
  const module = await loadModule(null);
  const { heapBytesInUse, heapBytesTotal } = module.memoryStats();
  return { heapBytesInUse, heapBytesTotal };
}
