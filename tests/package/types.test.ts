// Type test of the package's baanx-auth.d.ts, as an app written in TypeScript sees it through
// the package's "exports". Compiled only (tsc --noEmit --strict --exactOptionalPropertyTypes, by
// typecheck.test.mjs), never run:
// every public name is used as the contract says, and each wrong use below must be an error
// (an unused @ts-expect-error fails the compile just as an unexpected error does).
import {
  type AuthenticatedResult,
  type BaanxClient,
  BaanxError,
  type BaanxErrorDetails,
  type CallOptions,
  type CreateClientOptions,
  type Credentials,
  ErrorCode,
  type LoginInput,
  type LoginResult,
  type LoginWithOtpOptions,
  type LoginWithOtpResult,
  type MemoryStats,
  type OnboardingRequiredResult,
  type OtpPrompt,
  type OtpRequiredResult,
  type Region,
  type SendOtpInput,
  type SendOtpResult,
  type Session,
  createClient,
  memoryStats,
} from 'baanx-auth';

// Exact type equality, for the checks that a type is what the contract says and no wider.
type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
const expectType = <T extends true>(_proof?: T): void => {};

declare const askTheUser: (phoneNumber: string | null) => Promise<string>;
const baseUrl = 'https://dev.api.baanx.com';
const clientKey = 'your-client-key';
const email = 'ada@example.com';
const password = 'correct horse battery staple';

export async function documentedUse(): Promise<void> {
  const region: Region = 'us';
  const config: CreateClientOptions = {
    baseUrl,
    clientKey,
    region,
    timeoutMs: 15000,
    resendCooldownMs: 60000,
    locateFile: (path, scriptDirectory) => new URL(path, scriptDirectory).href,
  };
  const client: BaanxClient = await createClient(config);
  await createClient({ baseUrl, clientKey, locateFile: () => '/vendor/baanx-auth.wasm' });

  const controller = new AbortController();
  const options: CallOptions = { signal: controller.signal, timeoutMs: 5000 };
  const input: LoginInput = { email, password };
  let result: LoginResult = await client.login(input, options);
  if (result.status === 'otp_required') {
    const otpRequired: OtpRequiredResult = result;
    const sendInput: SendOtpInput = { userId: otpRequired.userId };
    const sent: SendOtpResult =
      await client.sendOtp(sendInput, { signal: AbortSignal.timeout(8000) });
    expectType<Equal<typeof sent.success, true>>();
    const waitMs: number = sent.resendAvailableAt - Date.now();
    void waitMs;
    const otpCode = await askTheUser(result.phoneNumber);
    result = await client.login({ email, password, otpCode });
  }
  switch (result.status) {
    case 'authenticated': {
      const authenticated: AuthenticatedResult = result;
      const token: string = authenticated.accessToken;
      const { userId, expiresAt, verificationState, isLinked } = authenticated;
      const fields: [string, number, string, boolean] =
        [userId, expiresAt, verificationState, isLinked];
      void token;
      void fields;
      break;
    }
    case 'onboarding_required': {
      const onboarding: OnboardingRequiredResult = result;
      const phase: string = onboarding.phase;
      const state: string | null = onboarding.verificationState;
      void phase;
      void state;
      break;
    }
    case 'otp_required':
      break;
    default: {
      // Exhaustive: the union has exactly these three members.
      const never: never = result;
      void never;
    }
  }

  const session: Session | null = client.session;
  if (session !== null) {
    const { accessToken, userId, expiresAt } = session;
    const fields: [string, string, number] = [accessToken, userId, expiresAt];
    void fields;
  }
  const loggedOut: void = await client.logout();
  void loggedOut;
  await client.logout({ timeoutMs: 3000 });

  const credentials: Credentials = { email, password };
  const flowOptions: LoginWithOtpOptions = {
    onOtpRequired: async (prompt: OtpPrompt) => {
      const again: SendOtpResult = await prompt.resend();
      void again;
      const phone: string | null = prompt.phoneNumber;
      const userId: string = prompt.userId;
      void userId;
      const sent: boolean = prompt.codeSent;
      const resendAt: number = prompt.resendAvailableAt;
      const rejected: BaanxError | null = prompt.error;
      void sent;
      void resendAt;
      if (rejected !== null) void rejected.code;
      return askTheUser(phone);
    },
    signal: controller.signal,
    timeoutMs: 10000,
    attempts: 3,
  };
  const flowResult: LoginWithOtpResult = await client.loginWithOtp(credentials, flowOptions);
  const neverOtp: Equal<LoginWithOtpResult['status'], 'authenticated' | 'onboarding_required'> =
    true;
  void neverOtp;
  void flowResult;
  await client.loginWithOtp({ email, password }, { onOtpRequired: () => '123456' });

  try {
    await client.login({ email, password, otpCode: '123 456' });
  } catch (error) {
    if (error instanceof BaanxError) {
      expectType<Equal<typeof error.code, ErrorCode>>();
      const name: 'BaanxError' = error.name;
      const status: number = error.status;
      const field: string | undefined = error.field;
      const retryAfterMs: number | undefined = error.retryAfterMs;
      const message: string = error.message;
      void [name, status, field, retryAfterMs, message];
      if (error.code === ErrorCode.INVALID_OTP || error.code === 'otp_expired') {
        // ask again
      }
      const _: Error = error;
      void _;
    }
  }

  const details: BaanxErrorDetails = { status: 429, field: 'userId', retryAfterMs: 1000 };
  const made = new BaanxError(ErrorCode.RATE_LIMITED, 'slow down', details);
  const plain = new BaanxError('network', 'offline');
  void [made, plain];

  const stats: MemoryStats = await memoryStats();
  const { heapBytesInUse, heapBytesTotal, wasmMemoryBytes } = stats;
  const bytes: [number, number, number] = [heapBytesInUse, heapBytesTotal, wasmMemoryBytes];
  void bytes;

}

// Under exactOptionalPropertyTypes an optional property refuses an explicit undefined unless the
// .d.ts allows it; the module reads undefined as "not given" for each of these. One property per
// line, each marked: typecheck.test.mjs checks that every marked line fails against a .d.ts
// without the `| undefined`, so that none of them passes by accident.
declare const maybeCode: string | undefined;
declare const maybeNumber: number | undefined;
export async function explicitUndefined(client: BaanxClient): Promise<void> {
  await createClient({ baseUrl, clientKey, region: undefined }); // explicit undefined
  await createClient({ baseUrl, clientKey, timeoutMs: maybeNumber }); // explicit undefined
  await createClient({ baseUrl, clientKey, resendCooldownMs: undefined }); // explicit undefined
  await createClient({ baseUrl, clientKey, locateFile: undefined }); // explicit undefined
  await client.login({ email, password, otpCode: maybeCode }); // explicit undefined
  await client.login({ email, password }, { signal: undefined }); // explicit undefined
  await client.sendOtp({ userId: email }, { timeoutMs: maybeNumber }); // explicit undefined
  const login: Credentials = { email, password };
  const onOtpRequired = (): string => '123456';
  await client.loginWithOtp(login, { onOtpRequired, attempts: undefined }); // explicit undefined
  void new BaanxError('network', 'offline', { status: undefined }); // explicit undefined
  void new BaanxError('network', 'offline', { field: undefined }); // explicit undefined
  void new BaanxError('network', 'offline', { retryAfterMs: maybeNumber }); // explicit undefined
}

// ErrorCode: exactly the codes of js-api.md, as a frozen object keyed by UPPER_SNAKE name.
expectType<Equal<ErrorCode,
  | 'invalid_argument' | 'invalid_credentials' | 'invalid_otp' | 'otp_expired' | 'account_locked'
  | 'account_disabled' | 'rate_limited' | 'resend_cooldown' | 'invalid_client_key'
  | 'missing_client_key' | 'unauthorized' | 'server_error' | 'http_error' | 'invalid_response'
  | 'network' | 'module_load' | 'timeout' | 'aborted'>>();
expectType<Equal<keyof typeof ErrorCode,
  | 'INVALID_ARGUMENT' | 'INVALID_CREDENTIALS' | 'INVALID_OTP' | 'OTP_EXPIRED' | 'ACCOUNT_LOCKED'
  | 'ACCOUNT_DISABLED' | 'RATE_LIMITED' | 'RESEND_COOLDOWN' | 'INVALID_CLIENT_KEY'
  | 'MISSING_CLIENT_KEY' | 'UNAUTHORIZED' | 'SERVER_ERROR' | 'HTTP_ERROR' | 'INVALID_RESPONSE'
  | 'NETWORK' | 'MODULE_LOAD' | 'TIMEOUT' | 'ABORTED'>>();
expectType<Equal<typeof ErrorCode.INVALID_OTP, 'invalid_otp'>>();
expectType<Equal<LoginResult['status'],
  'authenticated' | 'otp_required' | 'onboarding_required'>>();
expectType<Equal<Region, 'international' | 'us'>>();
expectType<Equal<ReturnType<BaanxClient['logout']>, Promise<void>>>();

// Wrong uses: each line must fail to compile.
export async function wrongUses(
  client: BaanxClient, result: LoginResult, error: BaanxError,
): Promise<void> {
  // @ts-expect-error the token exists only once status is narrowed to 'authenticated'
  void result.accessToken;
  // @ts-expect-error an otp_required result has no token either
  if (result.status === 'otp_required') void result.accessToken;
  // @ts-expect-error phoneNumber may be null
  if (result.status === 'otp_required') { const phone: string = result.phoneNumber; void phone; }
  // @ts-expect-error not a status the contract knows
  if (result.status === 'mfa_required') return;

  // @ts-expect-error not an error code
  const code: ErrorCode = 'wrong_password';
  void code;
  // @ts-expect-error no such code to compare with
  if (error.code === 'invalid_password') return;
  // @ts-expect-error no such key
  void ErrorCode.INVALID_PASSWORD;
  // @ts-expect-error ErrorCode is frozen (readonly)
  ErrorCode.INVALID_OTP = 'invalid_otp';
  // @ts-expect-error a BaanxError is made with one of the codes
  void new BaanxError('nope', 'message');
  // @ts-expect-error its fields are read-only
  error.code = 'network';

  // @ts-expect-error a number is not a password
  await client.login({ email, password: 12345678 });
  // @ts-expect-error the password is required
  await client.login({ email });
  // @ts-expect-error a code is a string of digits, not a number
  await client.login({ email, password, otpCode: 123456 });
  // @ts-expect-error timeoutMs is a number of milliseconds
  await client.login({ email, password }, { timeoutMs: '5000' });
  // @ts-expect-error signal is an AbortSignal, not its controller
  await client.login({ email, password }, { signal: new AbortController() });
  // @ts-expect-error sendOtp needs the userId
  await client.sendOtp({});
  // @ts-expect-error loginWithOtp takes no code: onOtpRequired provides it
  await client.loginWithOtp({ email, password, otpCode: '123456' }, { onOtpRequired: () => '1' });
  // @ts-expect-error attempts is a number
  await client.loginWithOtp({ email, password }, { onOtpRequired: () => '1', attempts: '2' });
  // @ts-expect-error loginWithOtp needs onOtpRequired
  await client.loginWithOtp({ email, password }, {});
  // @ts-expect-error onOtpRequired returns the code as a string
  await client.loginWithOtp({ email, password }, { onOtpRequired: () => 123456 });
  // @ts-expect-error logout resolves to nothing
  const loggedOut: string = await client.logout();
  void loggedOut;
  // @ts-expect-error session may be null
  void client.session.accessToken;
  // @ts-expect-error session is read-only
  client.session = null;
  // @ts-expect-error no such method
  await client.verifyOtp({ otpCode: '123456' });

  // @ts-expect-error clientKey is required
  await createClient({ baseUrl });
  // @ts-expect-error baseUrl is required
  await createClient({ clientKey });
  // @ts-expect-error not a region
  await createClient({ baseUrl, clientKey, region: 'eu' });
  // @ts-expect-error locateFile returns the URL as a string
  await createClient({ baseUrl, clientKey, locateFile: () => 42 });
  // @ts-expect-error a config is an object
  await createClient(baseUrl);
  // @ts-expect-error memoryStats is a Promise: await it first
  void memoryStats().heapBytesInUse;
}

// --- Sessions that outlive the page --------------------------------------------------------------
// Its own import, so that this section stands apart from the one at the top.
import type {
  SessionChangeListener, SessionEvent, SessionStorageName, SessionStore,
} from 'baanx-auth';

export async function sessionsUse(): Promise<void> {
  const names: SessionStorageName[] = ['memory', 'session', 'local'];
  for (const storage of names) await createClient({ baseUrl, clientKey, storage });
  const store: SessionStore = {
    getItem: async (key) => window.sessionStorage.getItem(key),
    setItem: async (key, value) => window.sessionStorage.setItem(key, value),
    removeItem: (key) => window.sessionStorage.removeItem(key),
  };
  const client: BaanxClient =
    await createClient({ baseUrl, clientKey, storage: store, storageKey: 'app:session' });
  // The Web Storage objects are SessionStores themselves.
  await createClient({ baseUrl, clientKey, storage: window.localStorage });
  await createClient({ baseUrl, clientKey, storage: undefined, storageKey: undefined }); // explicit undefined

  const listener: SessionChangeListener = (session, event) => {
    expectType<Equal<typeof session, Session | null>>();
    expectType<Equal<typeof event, SessionEvent>>();
    if (session !== null) {
      const fields: [string, string, number] =
        [session.accessToken, session.userId, session.expiresAt];
      void fields;
    }
    switch (event) {
      case 'signed_in':
      case 'signed_out':
      case 'expired':
        break;
      default: {
        // Exhaustive: exactly these three events.
        const never: never = event;
        void never;
      }
    }
  };
  const unsubscribe: () => void = client.onSessionChange(listener);
  unsubscribe();
  client.onSessionChange((session, event) => {
    const userId: string | undefined = session?.userId;
    const name: SessionEvent = event;
    void [userId, name];
  });
}

expectType<Equal<SessionEvent, 'signed_in' | 'signed_out' | 'expired'>>();
expectType<Equal<SessionStorageName, 'memory' | 'session' | 'local'>>();
expectType<Equal<Parameters<SessionChangeListener>, [Session | null, SessionEvent]>>();
expectType<Equal<ReturnType<BaanxClient['onSessionChange']>, () => void>>();

export async function sessionsWrongUses(client: BaanxClient): Promise<void> {
  // @ts-expect-error not a storage the client knows
  await createClient({ baseUrl, clientKey, storage: 'cookie' });
  // @ts-expect-error a custom storage needs removeItem too
  await createClient({ baseUrl, clientKey, storage: { getItem: () => null, setItem: () => {} } });
  const numbers = { getItem: () => 42, setItem: () => {}, removeItem: () => {} };
  // @ts-expect-error getItem gives the stored text
  await createClient({ baseUrl, clientKey, storage: numbers });
  // @ts-expect-error storageKey is a string
  await createClient({ baseUrl, clientKey, storageKey: 42 });
  // @ts-expect-error not an event the client sends
  client.onSessionChange((session, event) => event === 'refreshed');
  // @ts-expect-error the session is null after a sign-out or an expiry
  client.onSessionChange((session) => session.accessToken);
  // @ts-expect-error a listener function, not an object
  client.onSessionChange({ listener: () => {} });
  // @ts-expect-error the unsubscribe function takes nothing
  client.onSessionChange(() => {})(true);
}
