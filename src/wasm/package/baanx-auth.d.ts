// Types of the baanx-auth package, written by hand: every export of baanx-auth.mjs, with what it
// takes, what it resolves to and the codes it rejects with.
//
// Optional input properties also accept an explicit `undefined`, which means "not given" (as
// leaving the property out does), so they can be filled from `string | undefined` values under
// `exactOptionalPropertyTypes`.

/**
 * The Baanx environment variant a client talks to: `'us'` adds the `x-us-env: true` header to
 * every request.
 */
export type Region = 'international' | 'us';

/**
 * The configuration of {@link createClient}: one Baanx environment and its timings. Checked
 * before any request; a bad value rejects with {@link BaanxError} code `'invalid_argument'` and
 * `field` naming it.
 */
export interface CreateClientOptions {
  /**
   * The API's base URL: `https`, or `http` only for loopback hosts (127.0.0.0/8, `localhost`,
   * `[::1]`). It may carry a path prefix (a proxy); a trailing `/` is fine. A path-absolute value
   * (`'/baanx'`, an API proxied by the page's own server) is resolved against the page's origin
   * first, then the same rules apply; `'//host'` is not path-absolute and is refused.
   */
  baseUrl: string;
  /**
   * The non-empty client key, sent as `x-client-key`: printable ASCII only. Never part of an
   * error message.
   */
  clientKey: string;
  /** `'international'` (the default) or `'us'`. */
  region?: Region | undefined;
  /**
   * Time allowed for each request, in whole milliseconds (default 15000); a call may override it
   * with {@link CallOptions.timeoutMs}.
   */
  timeoutMs?: number | undefined;
  /**
   * The client's own minimum gap between two {@link BaanxClient.sendOtp} calls for one `userId`,
   * in whole milliseconds (default 60000).
   */
  resendCooldownMs?: number | undefined;
  /**
   * Where to fetch the WebAssembly file from. By default it is found next to the module
   * (`new URL('baanx-auth.wasm', import.meta.url)`), which bundlers such as Vite follow. Called
   * with the file name (`'baanx-auth.wasm'`) and the module's own directory URL; returns the URL
   * to fetch. Used by the first `createClient` call of a page, which loads the module for all.
   * A module run from a `blob:` or `data:` URL has no directory: the second argument is then
   * `''`, and `locateFile` is required (without it, `createClient` rejects with `module_load`).
   */
  locateFile?: ((path: string, scriptDirectory: string) => string) | undefined;
}

/** The last argument every method takes. */
export interface CallOptions {
  /**
   * Aborts the call: it rejects with code `'aborted'`. Its request is cancelled unless identical
   * calls still wait for it. Anything but an `AbortSignal` is refused with `'invalid_argument'`.
   */
  signal?: AbortSignal | undefined;
  /**
   * This call's timeout in whole milliseconds, in place of the client's
   * {@link CreateClientOptions.timeoutMs}; rejects with code `'timeout'` when it runs out.
   */
  timeoutMs?: number | undefined;
}

/**
 * The input of {@link BaanxClient.login}: the password, and on the second step the 6-digit code
 * from the SMS (spaces around or inside are trimmed).
 */
export interface LoginInput {
  /** The account's email address. */
  email: string;
  /** The password (non-empty, at most 4096 bytes). Never part of an error message. */
  password: string;
  /** The code from the SMS: exactly 6 digits after trimming spaces. */
  otpCode?: string | undefined;
}

/**
 * The input of {@link BaanxClient.loginWithOtp}: email and password; the code comes from
 * {@link LoginWithOtpOptions.onOtpRequired}.
 */
export type Credentials = Omit<LoginInput, 'otpCode'>;

/**
 * A successful login: the session's token and account state. The client keeps the session
 * ({@link BaanxClient.session}).
 */
export interface AuthenticatedResult {
  /** The discriminant. */
  status: 'authenticated';
  /** The bearer token. */
  accessToken: string;
  /** The user's UUID. */
  userId: string;
  /** When the token expires, in ms since the epoch (issue time + 6 h). */
  expiresAt: number;
  /** The account's verification state as the server gave it. */
  verificationState: string;
  /** Whether the account is linked, as the server gave it. */
  isLinked: boolean;
}

/**
 * Login needs the SMS code: call {@link BaanxClient.sendOtp} with `userId`, then
 * {@link BaanxClient.login} again with `otpCode`.
 */
export interface OtpRequiredResult {
  /** The discriminant. */
  status: 'otp_required';
  /** The user's UUID, for `sendOtp`. */
  userId: string;
  /** The masked phone number as the server gave it (e.g. `+445*****225`), or `null`. */
  phoneNumber: string | null;
}

/** The account has not finished onboarding: no token is handed out. */
export interface OnboardingRequiredResult {
  /** The discriminant. */
  status: 'onboarding_required';
  /** The user's UUID. */
  userId: string;
  /** The onboarding phase still to do, e.g. `'PHONE_NUMBER'`. */
  phase: string;
  /** The verification state, or `null` when the server gave none. */
  verificationState: string | null;
}

/**
 * What {@link BaanxClient.login} and {@link BaanxClient.loginWithOtp} resolve to: exactly one of
 * three shapes, told apart by `status`.
 *
 * @example
 * ```ts
 * const result: LoginResult = await client.login({ email, password });
 * switch (result.status) {
 *   case 'authenticated': return result.accessToken;
 *   case 'otp_required': return askForCode(result.phoneNumber);
 *   case 'onboarding_required': return showOnboarding(result.phase);
 * }
 * ```
 */
export type LoginResult = AuthenticatedResult | OtpRequiredResult | OnboardingRequiredResult;

/**
 * What {@link BaanxClient.loginWithOtp} resolves to: the flow asks for the code itself, so it
 * never resolves to `'otp_required'`.
 */
export type LoginWithOtpResult = AuthenticatedResult | OnboardingRequiredResult;

/** What {@link BaanxClient.sendOtp} resolves to. */
export interface SendOtpResult {
  /** Always `true` (a failure rejects instead). */
  success: true;
  /** When a resend is allowed, in ms since the epoch. */
  resendAvailableAt: number;
}

/** The input of {@link BaanxClient.sendOtp}. */
export interface SendOtpInput {
  /** The user's UUID, from an `otp_required` result. */
  userId: string;
}

/** The session a client keeps after a successful login. */
export interface Session {
  /** The bearer token. */
  accessToken: string;
  /** The user's UUID. */
  userId: string;
  /** When the token expires, in ms since the epoch. */
  expiresAt: number;
}

/** What {@link LoginWithOtpOptions.onOtpRequired} is called with when the account needs a code. */
export interface OtpPrompt {
  /** The user's UUID. */
  userId: string;
  /** The masked phone number, or `null`. */
  phoneNumber: string | null;
  /**
   * Whether this flow's send went out. `false` when the server (HTTP 429) or the client's
   * cooldown refused it: a code sent shortly before, from another tab or page load, is still
   * valid, so the code is asked for all the same.
   */
  codeSent: boolean;
  /** When {@link OtpPrompt.resend} can work, in ms since the epoch. */
  resendAvailableAt: number;
  /**
   * Why the code is asked for again (with `attempts` above 1): the error of the rejected code
   * (`'invalid_otp'` or `'otp_expired'`); `null` the first time.
   */
  error: BaanxError | null;
  /**
   * Sends the code again (as {@link BaanxClient.sendOtp} for this user, with the flow's signal).
   *
   * @example
   * ```ts
   * resendButton.onclick = async () => {
   *   const { resendAvailableAt } = await prompt.resend();
   *   startCountdown(resendAvailableAt);
   * };
   * ```
   */
  resend(): Promise<SendOtpResult>;
}

/**
 * The options of {@link BaanxClient.loginWithOtp}: how to get the code from the user, plus the
 * usual {@link CallOptions} for the whole flow.
 */
export interface LoginWithOtpOptions extends CallOptions {
  /**
   * Called only when the account needs a code, after it was sent; returns the code (or its
   * Promise). Throwing or rejecting abandons the flow, which rejects with code `'aborted'`.
   */
  onOtpRequired: (prompt: OtpPrompt) => string | PromiseLike<string>;
  /**
   * How many codes the user may enter, from 1 (the default) to 5: after a rejected code,
   * `onOtpRequired` is asked again with `error` set, until they are used up. The flow never
   * resubmits a code by itself.
   */
  attempts?: number | undefined;
}

/**
 * A client for one Baanx environment, made by {@link createClient}. Identical calls still in
 * flight on one client share one request and one Promise.
 */
export interface BaanxClient {
  /**
   * Password login, with `otpCode` on the second step.
   *
   * @example
   * ```ts
   * let result = await client.login({ email, password });
   * if (result.status === 'otp_required') {
   *   await client.sendOtp({ userId: result.userId });
   *   result = await client.login({ email, password, otpCode: await askTheUser() });
   * }
   * ```
   */
  login(input: LoginInput, options?: CallOptions): Promise<LoginResult>;
  /**
   * Sends (or resends) the SMS code. Within the cooldown for that `userId` it rejects with
   * `'resend_cooldown'` and `retryAfterMs`, sending nothing.
   *
   * @example
   * ```ts
   * const { resendAvailableAt } = await client.sendOtp({ userId: result.userId });
   * ```
   */
  sendOtp(input: SendOtpInput, options?: CallOptions): Promise<SendOtpResult>;
  /**
   * The whole flow in one call: login; if a code is needed, send it, await `onOtpRequired` for
   * it and log in with it. A rejected code rejects with `'invalid_otp'` (never resubmitted), or
   * asks again while `attempts` allow.
   *
   * @example
   * ```ts
   * const result = await client.loginWithOtp({ email, password }, {
   *   onOtpRequired: ({ phoneNumber }) => askTheUser(phoneNumber),
   * });
   * ```
   */
  loginWithOtp(input: Credentials, options: LoginWithOtpOptions): Promise<LoginWithOtpResult>;
  /**
   * Ends the session on the server; {@link BaanxClient.session} is cleared even when that fails.
   *
   * @example
   * ```ts
   * await client.logout().catch(() => {}); // the local session is gone either way
   * ```
   */
  logout(options?: CallOptions): Promise<void>;
  /** The session after a successful login, else `null` (a fresh copy on each read). */
  readonly session: Session | null;
}

/**
 * Every code a {@link BaanxError} can carry, keyed by its upper-case name. Frozen.
 *
 * @example
 * ```ts
 * if (error instanceof BaanxError && error.code === ErrorCode.INVALID_OTP) askAgain();
 * ```
 */
export declare const ErrorCode: Readonly<{
  /** Bad input or config, found before any request; `field` names it. */
  INVALID_ARGUMENT: 'invalid_argument';
  /** Login without a code answered 401, 403 or 404. */
  INVALID_CREDENTIALS: 'invalid_credentials';
  /** The code was rejected. */
  INVALID_OTP: 'invalid_otp';
  /** The code had expired. */
  OTP_EXPIRED: 'otp_expired';
  /** Locked, or too many attempts. */
  ACCOUNT_LOCKED: 'account_locked';
  /** The account is disabled. */
  ACCOUNT_DISABLED: 'account_disabled';
  /** HTTP 429; `retryAfterMs` where the server said. */
  RATE_LIMITED: 'rate_limited';
  /** `sendOtp` within the client's own cooldown; nothing was sent. */
  RESEND_COOLDOWN: 'resend_cooldown';
  /** HTTP 498. */
  INVALID_CLIENT_KEY: 'invalid_client_key';
  /** HTTP 499. */
  MISSING_CLIENT_KEY: 'missing_client_key';
  /** HTTP 401 outside login (e.g. logout with a dead token). */
  UNAUTHORIZED: 'unauthorized';
  /** Any 5xx. */
  SERVER_ERROR: 'server_error';
  /** Any other unexpected status. */
  HTTP_ERROR: 'http_error';
  /** A body that is not the documented JSON. */
  INVALID_RESPONSE: 'invalid_response';
  /** No response: refused, reset, CORS, DNS. */
  NETWORK: 'network';
  /** The WebAssembly module could not be fetched or compiled. */
  MODULE_LOAD: 'module_load';
  /** No answer within `timeoutMs`. */
  TIMEOUT: 'timeout';
  /** The caller's `AbortSignal` fired. */
  ABORTED: 'aborted';
}>;

/** The code strings themselves: the type of {@link BaanxError.code}. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The details a {@link BaanxError} carries besides its code and message. */
export interface BaanxErrorDetails {
  /** HTTP status; `0` (the default) when there was no response. */
  status?: number | undefined;
  /** The offending input, for `'invalid_argument'`. */
  field?: string | undefined;
  /** How long to wait before trying again, in ms. */
  retryAfterMs?: number | undefined;
}

/**
 * The one error type every rejection of this module carries. Its message never contains the
 * password, code, access token or client key.
 *
 * @example
 * ```ts
 * try {
 *   await client.login({ email, password });
 * } catch (error) {
 *   if (error instanceof BaanxError && error.code === ErrorCode.RATE_LIMITED) {
 *     wait(error.retryAfterMs);
 *   }
 * }
 * ```
 */
export declare class BaanxError extends Error {
  /**
   * Made by the module; apps normally only read these.
   *
   * @example
   * ```ts
   * const error = new BaanxError('network', 'offline', { status: 0 });
   * ```
   */
  constructor(code: ErrorCode, message: string, details?: BaanxErrorDetails);
  /** Always `'BaanxError'`. */
  readonly name: 'BaanxError';
  /** What went wrong, as one of the {@link ErrorCode} strings. */
  readonly code: ErrorCode;
  /** The HTTP status, `0` when there was no response. */
  readonly status: number;
  /** For `'invalid_argument'`: the input at fault (`'email'`, `'otpCode'`, ...). */
  readonly field?: string;
  /** For `'rate_limited'` and `'resend_cooldown'`: ms until a retry may work. */
  readonly retryAfterMs?: number;
}

/**
 * Loads the WebAssembly module (once per page; later calls reuse it) and returns a client for one
 * Baanx environment. Rejects with {@link BaanxError} `'invalid_argument'` for a bad config, or
 * `'module_load'` when the `.wasm` cannot be fetched or is not WebAssembly (for example an HTML
 * page served in its place): the message names the URL tried and what to check
 * ({@link CreateClientOptions.locateFile}, the server's MIME type, the bundler's handling). A
 * later call tries to load it again.
 */
export declare function createClient(config: CreateClientOptions): Promise<BaanxClient>;

/** What {@link memoryStats} reports, in bytes. */
export interface MemoryStats {
  /** Bytes of the WebAssembly heap in use. */
  heapBytesInUse: number;
  /** The size of that heap. */
  heapBytesTotal: number;
  /** The size of the whole WebAssembly memory. */
  wasmMemoryBytes: number;
}

/**
 * Diagnostics: the WebAssembly heap after the module loaded (it loads the module if needed).
 * Steady in-use bytes over many calls show that nothing leaks.
 */
export declare function memoryStats(): Promise<MemoryStats>;

// --- Sessions that outlive the page --------------------------------------------------------------
// The storage options and onSessionChange, declared here as additions to CreateClientOptions and
// BaanxClient (TypeScript merges an interface's declarations into one type).

/**
 * One of the storages the client knows by name: `'memory'` (the default) keeps the session in the
 * module's memory only, `'session'` in `sessionStorage` (one tab, until it closes), `'local'` in
 * `localStorage` (every tab of the origin, across restarts).
 */
export type SessionStorageName = 'memory' | 'session' | 'local';

/**
 * A storage of the app's own for the session record, shaped like the Web Storage API. Each method
 * may return its value or a Promise of it; one that throws or rejects never fails a call (the
 * session then lives in memory only).
 */
export interface SessionStore {
  /**
   * The text stored under `key`, or `null` (or `undefined`) when there is none.
   *
   * @example `getItem: (key) => window.sessionStorage.getItem(key)`
   */
  getItem(key: string): string | null | undefined | PromiseLike<string | null | undefined>;
  /**
   * Stores `value` (the session record, one JSON string) under `key`. What it returns is ignored,
   * but for a Promise, which the client waits for before its next write.
   *
   * @example `setItem: (key, value) => window.sessionStorage.setItem(key, value)`
   */
  setItem(key: string, value: string): unknown;
  /**
   * Removes what is stored under `key`; returns as `setItem` does.
   *
   * @example `removeItem: (key) => window.sessionStorage.removeItem(key)`
   */
  removeItem(key: string): unknown;
}

/**
 * What changed: `'signed_in'` (a login authenticated, or with `'local'` another tab signed in),
 * `'signed_out'` (`logout`, at once, or another tab's), `'expired'` (`expiresAt` was reached).
 */
export type SessionEvent = 'signed_in' | 'signed_out' | 'expired';

/**
 * Hears each change of the session: the new session (a copy of its own), or `null` after a
 * sign-out or an expiry, and what happened.
 */
export type SessionChangeListener = (session: Session | null, event: SessionEvent) => void;

export interface CreateClientOptions {
  /**
   * Where the session is kept between page loads: `'memory'` (the default: nothing is written
   * anywhere), `'session'`, `'local'`, or an object of the app's own ({@link SessionStore}). Only
   * `{ accessToken, userId, expiresAt }` is ever stored; `createClient` restores a stored session
   * that is still valid, and removes anything else found under the key. With `'local'`, any
   * script of the origin can read the token; it survives restarts.
   */
  storage?: SessionStorageName | SessionStore | undefined;
  /** The one key used in that storage (default `'baanx-auth.session'`): a non-empty string. */
  storageKey?: string | undefined;
}

export interface BaanxClient {
  /**
   * Calls `listener(session, event)` on each change of the session, from a login, a logout, an
   * expiry (by a timer at `expiresAt`) or, with `storage: 'local'`, another tab of the origin.
   * Returns the function that unsubscribes it (it may be called from inside a listener). A
   * listener that throws is reported as an uncaught error, and the others still hear. Anything but
   * a function throws a {@link BaanxError} `'invalid_argument'` with `field: 'listener'`.
   *
   * @example
   * ```ts
   * const unsubscribe = client.onSessionChange((session, event) => {
   *   if (session) showSignedIn(session.userId);
   *   else showSignInForm(event === 'expired' ? 'Your session expired' : '');
   * });
   * ```
   */
  onSessionChange(listener: SessionChangeListener): () => void;
}
