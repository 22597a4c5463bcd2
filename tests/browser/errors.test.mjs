// Every error code of js-api.md crossing the module's boundary in headless Chromium, against the
// real mock server: each rejection is one BaanxError (instanceof, name, code, status, message, a
// stack, and field and retryAfterMs exactly where they apply), settled once. Which answer gives
// which code is the core's rule and is tested natively (tests/unit); here each code is seen crossing
// at least once, with what only a browser shows: aborts, real timers, refused and dropped
// connections. Secrets never reach an error, nor an assertion message.
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, test } from 'node:test';
import { CLIENT_KEY, PASSWORD, USERS, mockHook, runWithModule, useBrowserSuite } from './harness.mjs';

const LOGIN = '/v1/auth/login';
const SEND_OTP = '/v1/auth/login/otp';
const WRONG_PASSWORD = 'Wr0ng-Passw0rd-9q!';
const WRONG_CLIENT_KEY = 'wrong-client-key-7f3a';
// What the page-side functions get as `x`.
const X = {
  ...USERS, password: PASSWORD, wrongPassword: WRONG_PASSWORD,
  uuid: '3b241101-e2bb-4255-8caf-4136c566a962',  // well-formed, nobody's
};

// Everything secret this suite has seen: the fixed ones, plus every code and token read from the
// mock phone or seen on the wire. Checked against every error collected.
const secrets = new Set([PASSWORD, WRONG_PASSWORD, CLIENT_KEY, WRONG_CLIENT_KEY]);
const sniffing = [];
const collectedErrors = [];
const codesSeen = new Set();

const suite = useBrowserSuite({ onPage: sniffSecrets });

function sniffSecrets(page) {
  page.on('request', (request) => {
    try {
      const body = JSON.parse(request.postData() ?? 'null');
      for (const key of ['password', 'otpCode']) {
        if (typeof body?.[key] === 'string' && body[key].length >= 6) secrets.add(body[key]);
      }
    } catch {
      // not JSON: nothing to learn
    }
  });
  page.on('response', (response) => {
    if (!response.url().includes(LOGIN)) return;
    sniffing.push(response.json().then((body) => {
      if (typeof body?.accessToken === 'string' && body.accessToken.length >= 8) {
        secrets.add(body.accessToken);
      }
    }, () => {}));
  });
}

async function run(fn, extra) {
  const result = await suite.run(fn, extra);
  for (const secret of result.secrets) secrets.add(secret);
  await Promise.all(sniffing.splice(0));
  collectedErrors.push(...result.errors);
  return result;
}

function assertNoSecrets(error) {
  for (const text of [error.message, error.stack, error.field]) {
    for (const secret of secrets) {
      assert.equal(String(text ?? '').includes(secret), false, 'a secret leaked into an error');
    }
  }
}

// outcome: what h.capture returned. expected: { code, status, message?, field?, retryAfterMs? },
// retryAfterMs a number or a [min, max] range; field and retryAfterMs must be absent where not
// expected. Secrets are checked first, so that no later failure can print one.
function assertBaanxError(outcome, expected) {
  assert.equal(outcome.pending, undefined, `expected ${expected.code}, the Promise never settled`);
  assert.equal(outcome.notAPromise, undefined, 'the method did not return a Promise');
  assert.ok(outcome.error, `expected ${expected.code}, the call resolved`);
  const e = outcome.error;
  assertNoSecrets(e);
  assert.equal(outcome.syncThrow, undefined, 'the method threw instead of rejecting');
  assert.equal(e.isBaanxError, true, `not a BaanxError (code ${e.code}, name ${e.name})`);
  assert.equal(e.isError, true, 'not an Error');
  assert.equal(e.name, 'BaanxError');
  // The module ships minified: the class keeps its name all the same.
  assert.equal(e.constructorName, 'BaanxError');
  assert.match(e.stack, /^BaanxError: [^]*\n\s+at /, 'no stack naming BaanxError');
  assert.equal(e.code, expected.code);
  assert.equal(e.status, expected.status, `status of ${expected.code}`);
  assert.equal(typeof e.message, 'string');
  assert.ok(e.message.trim().length > 0, 'empty message');
  if ('message' in expected) assert.equal(e.message, expected.message);
  assert.equal(e.hasField, 'field' in expected, `field present on ${expected.code}`);
  if ('field' in expected) assert.equal(e.field, expected.field);
  const wait = expected.retryAfterMs;
  assert.equal(e.hasRetryAfterMs, wait !== undefined, `retryAfterMs present on ${expected.code}`);
  if (typeof wait === 'number') assert.equal(e.retryAfterMs, wait);
  if (Array.isArray(wait)) {
    assert.ok(e.retryAfterMs >= wait[0] && e.retryAfterMs <= wait[1], `retryAfterMs ${e.retryAfterMs}`);
  }
  assert.equal(outcome.settled, 1, 'settled more than once');
  codesSeen.add(e.code);
  return e;
}

async function closedPort() {
  const probe = net.createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

// In the page: a client (with the case's clientConfig), the case's setup steps in turn, each
// adding what it returns to the argument of the next and of act, then act's call captured.
async function caseInPage(m, config, { x, clientConfig, setup, act }, h) {
  const client = await m.createClient({ ...config, ...clientConfig });
  const step = (source) => new Function(`return ${source}`)();
  const t = { m, config, client, x, h };
  for (const source of setup) Object.assign(t, await step(source)(t));
  const outcome = await h.capture(() => step(act)(t));
  return { outcome, session: client.session !== null };
}

// Runs one case of the tables below: arms its fault, runs it in the page and checks the rejection,
// and as the case asks, that no session is left (noSession), that the message carries no markup
// (plain), when it settled (elapsedMs: [min, max]) and how many requests went out (sent).
async function check(c) {
  if (c.arm) await mockHook(suite.server, '/__mock/fault', { times: 1, ...c.arm });
  const { value, error } = await run(caseInPage, {
    x: { ...X, closedPort: await closedPort() }, clientConfig: c.clientConfig,
    setup: [c.setup ?? []].flat().map(String), act: String(c.act),
  });
  assert.equal(error, undefined, error && `the setup failed with ${error.code}`);
  const e = assertBaanxError(value.outcome, c.expect);
  if (c.noSession) assert.equal(value.session, false, 'a session is left');
  if (c.plain) assert.equal(/<\/?[a-z!]/i.test(e.message), false, 'the message carries HTML markup');
  if (c.elapsedMs) {
    const { elapsedMs } = value.outcome;
    assert.ok(elapsedMs >= c.elapsedMs[0] && elapsedMs < c.elapsedMs[1], `settled after ${elapsedMs} ms`);
  }
  for (const [path, count] of Object.entries(c.sent ?? {})) {
    assert.equal(suite.requestsTo(path).length, count, `requests to ${path}`);
  }
}

const testEach = (cases) => {
  for (const c of cases) test(`${c.expect.code}: ${c.name}`, () => check(c));
};

// Page-side setups, shared by several cases.
const adaSignedIn = async ({ client, x }) => client.login({ email: x.ada, password: x.password });
const adaCodeSent = async ({ client, x, h }) => {
  const { userId } = await client.login({ email: x.ada, password: x.password });
  await client.sendOtp({ userId });
  return { userId, code: await h.otp(userId) };
};
const graceLogin = ({ client, x }) => client.login({ email: x.grace, password: x.password });
const message = (text) => JSON.stringify({ message: text });

describe('bad input, refused before any request', () => {
  const cases = [
    { name: 'login with an email that is not an address', sent: { [LOGIN]: 0 },
      act: ({ client, x }) => client.login({ email: 'not-an-address', password: x.password }),
      expect: { code: 'invalid_argument', status: 0, field: 'email' } },
    // NaN is not JSON: the JS layer hands the core a number it refuses.
    { name: 'login with timeoutMs NaN', sent: { [LOGIN]: 0 },
      act: ({ client, x }) => client.login({ email: x.grace, password: x.password }, { timeoutMs: NaN }),
      expect: { code: 'invalid_argument', status: 0, field: 'timeoutMs' } },
    { name: 'sendOtp with a userId that is not a UUID', sent: { [SEND_OTP]: 0 },
      act: ({ client }) => client.sendOtp({ userId: 'not-a-uuid' }),
      expect: { code: 'invalid_argument', status: 0, field: 'userId' } },
    { name: 'createClient with an ftp: baseUrl',
      act: ({ m, config }) => m.createClient({ ...config, baseUrl: 'ftp://127.0.0.1/' }),
      expect: { code: 'invalid_argument', status: 0, field: 'baseUrl' } },
  ];
  testEach(cases);
});

describe("the mock server's own answers", () => {
  const cases = [
    { name: 'a wrong password',
      act: ({ client, x }) => client.login({ email: x.grace, password: x.wrongPassword }),
      expect: { code: 'invalid_credentials', status: 401, message: 'Invalid email or password' } },
    { name: 'a wrong code', setup: adaCodeSent, noSession: true,
      act: ({ client, x, h, code }) =>
        client.login({ email: x.ada, password: x.password, otpCode: h.wrongCode(code) }),
      expect: { code: 'invalid_otp', status: 400, message: 'Invalid OTP code' } },
    { name: 'loginWithOtp given a wrong code', noSession: true,
      act: ({ client, x, h }) => client.loginWithOtp({ email: x.ada, password: x.password },
        { onOtpRequired: async ({ userId }) => h.wrongCode(await h.otp(userId)) }),
      expect: { code: 'invalid_otp', status: 400 } },
    { name: 'the right code after its lifetime (300 s on the mock clock)', noSession: true,
      setup: [adaCodeSent, async ({ h }) => { await h.hook('/__mock/clock', { advanceMs: 301000 }); }],
      act: ({ client, x, code }) => client.login({ email: x.ada, password: x.password, otpCode: code }),
      expect: { code: 'otp_expired', status: 400, message: 'OTP code has expired' } },
    { name: 'a disabled account', noSession: true,
      act: ({ client, x }) => client.login({ email: x.mallory, password: x.password }),
      expect: { code: 'account_disabled', status: 403, message: 'Your account has been disabled' } },
    { name: 'a second sendOtp inside the client cooldown sends nothing', setup: adaCodeSent,
      sent: { [SEND_OTP]: 1 }, act: ({ client, userId }) => client.sendOtp({ userId }),
      expect: { code: 'resend_cooldown', status: 0, retryAfterMs: [55000, 60000] } },
    { name: "the mock's resend limit, with the client's cooldown off", setup: adaCodeSent,
      clientConfig: { resendCooldownMs: 0 }, sent: { [SEND_OTP]: 2 },
      act: ({ client, userId }) => client.sendOtp({ userId }),
      expect: { code: 'rate_limited', status: 429, retryAfterMs: [55000, 60000] } },
    { name: 'a wrong client key', clientConfig: { clientKey: WRONG_CLIENT_KEY }, act: graceLogin,
      expect: { code: 'invalid_client_key', status: 498, message: 'Invalid client key' } },
    { name: 'logout once the mock has revoked the session', noSession: true,
      setup: [graceLogin, async ({ h }) => { await h.hook('/__mock/reset', {}); }],
      act: ({ client }) => client.logout(),
      expect: { code: 'unauthorized', status: 401 } },
  ];
  testEach(cases);
});

describe('faults the mock injects', () => {
  const cases = [
    { name: '423 with lock wording', act: graceLogin,
      arm: { path: LOGIN, kind: 'status', status: 423, body: message('Too many attempts, try again later') },
      expect: { code: 'account_locked', status: 423, message: 'Too many attempts, try again later' } },
    { name: 'Retry-After in seconds', act: graceLogin,
      arm: { path: LOGIN, kind: 'rate_limit_seconds', seconds: 7 },
      expect: { code: 'rate_limited', status: 429, retryAfterMs: 7000 } },
    { name: 'no Retry-After: no retryAfterMs', act: graceLogin,
      arm: { path: LOGIN, kind: 'status', status: 429, body: message('Too many requests') },
      expect: { code: 'rate_limited', status: 429, message: 'Too many requests' } },
    { name: '499', act: graceLogin,
      arm: { path: LOGIN, kind: 'status', status: 499, body: message('Missing client key') },
      expect: { code: 'missing_client_key', status: 499, message: 'Missing client key' } },
    { name: 'an HTML 503 page', act: graceLogin, plain: true,
      arm: { path: LOGIN, kind: 'html_5xx', status: 503 },
      expect: { code: 'server_error', status: 503 } },
    { name: '418 with a message', act: graceLogin,
      arm: { path: LOGIN, kind: 'status', status: 418, body: message("I'm a teapot") },
      expect: { code: 'http_error', status: 418, message: "I'm a teapot" } },
    { name: 'an HTML page answered 200 to login', act: graceLogin, plain: true, noSession: true,
      arm: { path: LOGIN, kind: 'status', status: 200, contentType: 'text/html; charset=utf-8',
        body: '<!DOCTYPE html><html><body><h1>Welcome</h1></body></html>' },
      expect: { code: 'invalid_response', status: 200 } },
    { name: 'truncated JSON answered to sendOtp', setup: adaSignedIn,
      arm: { path: SEND_OTP, kind: 'truncated_json' },
      act: ({ client, userId }) => client.sendOtp({ userId }),
      expect: { code: 'invalid_response', status: 200 } },
  ];
  testEach(cases);
});

describe('the network, timers and AbortSignal of the browser', () => {
  const cases = [
    { name: 'a closed port (connection refused)',
      setup: async ({ m, config, x }) =>
        ({ refused: await m.createClient({ ...config, baseUrl: `http://127.0.0.1:${x.closedPort}/` }) }),
      act: ({ refused, x }) => refused.login({ email: x.grace, password: x.password }),
      expect: { code: 'network', status: 0 } },
    // More than once: Chromium may retry a request whose reused connection closed silently.
    { name: 'the connection closed without a response', act: graceLogin,
      arm: { path: LOGIN, kind: 'drop', times: 5 },
      expect: { code: 'network', status: 0 } },
    { name: 'a per-call timeoutMs of 300 against a 2 s delay', elapsedMs: [250, 1500],
      arm: { path: LOGIN, kind: 'delay', delayMs: 2000 },
      act: ({ client, x }) => client.login({ email: x.grace, password: x.password }, { timeoutMs: 300 }),
      expect: { code: 'timeout', status: 0 } },
    { name: 'an already-aborted signal on login sends nothing', elapsedMs: [0, 200], sent: { [LOGIN]: 0 },
      act: ({ client, x }) =>
        client.login({ email: x.grace, password: x.password }, { signal: AbortSignal.abort() }),
      expect: { code: 'aborted', status: 0 } },
    { name: 'an already-aborted signal on sendOtp sends nothing', elapsedMs: [0, 200],
      sent: { [SEND_OTP]: 0 },
      act: ({ client, x }) => client.sendOtp({ userId: x.uuid }, { signal: AbortSignal.abort() }),
      expect: { code: 'aborted', status: 0 } },
    { name: 'an abort mid-flight with a reason of its own', elapsedMs: [0, 1000],
      arm: { path: LOGIN, kind: 'delay', delayMs: 2000 },
      act: ({ client, x }) => {
        const controller = new AbortController();
        setTimeout(() => controller.abort(new Error('user navigated away')), 50);
        return client.login({ email: x.grace, password: x.password }, { signal: controller.signal });
      },
      expect: { code: 'aborted', status: 0 } },
  ];
  testEach(cases);

  // The module's requests share one timer, set for the earliest deadline in flight.
  test('a short timeout started while a long one is in flight fires on time', async () => {
    await mockHook(suite.server, '/__mock/fault', { path: LOGIN, kind: 'delay', delayMs: 1500, times: 2 });
    const { value } = await run(async (m, config, { grace, ada, password }, h) => {
      const client = await m.createClient(config);
      const long = h.capture(() => client.login({ email: grace, password }, { timeoutMs: 5000 }));
      await h.sleep(20);
      const short = h.capture(() => client.login({ email: ada, password }, { timeoutMs: 300 }));
      return Promise.all([long, short]);
    }, X);
    const [long, short] = value;
    assertBaanxError(short, { code: 'timeout', status: 0 });
    assert.ok(short.elapsedMs >= 250 && short.elapsedMs < 1200, `settled after ${short.elapsedMs} ms`);
    assert.equal(long.error, undefined, 'the long call was cut short by the short one');
    assert.equal(long.value.status, 'authenticated');
  });

  test('after many quick calls, a slow call still times out on time', async () => {
    // The quick calls leave the shared timer set for their default deadlines.
    const quick = await run(async (m, config, { grace, password }) => {
      const client = await m.createClient(config);
      const statuses = [];
      for (let i = 0; i < 30; i++) statuses.push((await client.login({ email: grace, password })).status);
      return statuses;
    }, X);
    assert.deepEqual(new Set(quick.value), new Set(['authenticated']));
    await check({ arm: { path: LOGIN, kind: 'delay', delayMs: 2000 }, elapsedMs: [250, 1200],
      act: ({ client, x }) => client.login({ email: x.grace, password: x.password }, { timeoutMs: 300 }),
      expect: { code: 'timeout', status: 0 } });
  });

  test('an abort mid-flight leaves the same client able to log in', async () => {
    await mockHook(suite.server, '/__mock/fault', { path: LOGIN, kind: 'delay', delayMs: 2000, times: 1 });
    const { value, error } = await run(async (m, config, { grace, password }, h) => {
      const client = await m.createClient(config);
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const aborted = await h.capture(() =>
        client.login({ email: grace, password }, { signal: controller.signal }));
      const next = await h.capture(() => client.login({ email: grace, password }));
      return { aborted, next: next.value?.status ?? next.error?.code, session: client.session !== null };
    }, X);
    assert.equal(error, undefined, error && `${error.code}: the flow failed`);
    assertBaanxError(value.aborted, { code: 'aborted', status: 0 });
    assert.ok(value.aborted.elapsedMs < 1000, `settled after ${value.aborted.elapsedMs} ms`);
    assert.equal(value.next, 'authenticated', 'the login after an abort failed');
    assert.equal(value.session, true);
  });

  test('an abort after the call settled changes nothing', async () => {
    const { value } = await run(async (m, config, { grace, password }, h) => {
      const client = await m.createClient(config);
      const controller = new AbortController();
      const outcome = await h.capture(() =>
        client.login({ email: grace, password }, { signal: controller.signal }));
      controller.abort();
      await h.sleep(50);
      return { status: outcome.value?.status, settled: outcome.settled, session: client.session !== null };
    }, X);
    assert.deepEqual(value, { status: 'authenticated', settled: 1, session: true });
  });
});

describe('a module that cannot be loaded', () => {
  // The module is loaded once per page: a fresh page on the server's origin without the demo page
  // (whose script loads the module at once), and a first createClient asking for a .wasm that is
  // not there.
  test('module_load: createClient with a .wasm answered 404', async () => {
    const page = await suite.browser.newPage();
    const consoleBefore = suite.browser.consoleErrors.length;
    try {
      await page.goto(new URL('/__mock/sms', suite.server.url).href);
      const result = await runWithModule(page, suite.server, (m, config, x, h) =>
        h.capture(() => m.createClient({ ...config, locateFile: () => '/no-such-module.wasm' })));
      collectedErrors.push(...result.errors);
      const e = assertBaanxError(result.value, { code: 'module_load', status: 0 });
      assert.match(e.message, /no-such-module\.wasm/);
      // Chromium's console notes of the 404s this test asked for are not faults of the module.
      const notes = suite.browser.consoleErrors.splice(consoleBefore);
      assert.ok(notes.every((text) => text.includes('404')), `console: ${notes.join('; ')}`);
    } finally {
      await page.close();
    }
  });
});

describe('after all of the above', () => {
  test('the module still logs in, with no page error', async () => {
    const { value, error } = await run(async (m, config, { grace, password }, h) => {
      const client = await m.createClient(config);
      const outcome = await h.capture(() => client.login({ email: grace, password }));
      return { status: outcome.value?.status ?? outcome.error?.code, settled: outcome.settled,
        session: client.session !== null };
    }, X);
    assert.equal(error, undefined);
    assert.deepEqual(value, { status: 'authenticated', settled: 1, session: true });
    assert.deepEqual(suite.browser.consoleErrors, []);
  });

  test('every code of ErrorCode was seen crossing as a BaanxError', async () => {
    const { value: codes } = await run((m) => Object.values(m.ErrorCode));
    assert.ok(codes.length > 0, 'ErrorCode is empty');
    const missing = codes.filter((code) => !codesSeen.has(code));
    assert.equal(missing.length, 0, `never seen crossing: ${missing.join(', ')}`);
  });

  test('no error collected carries a password, client key, code or token', () => {
    assert.ok(collectedErrors.length >= codesSeen.size, `only ${collectedErrors.length} errors collected`);
    // The check only means something if tokens and codes were really seen on the wire.
    assert.ok([...secrets].some((s) => /^US_[0-9a-f-]{36}$/.test(s)), 'no access token was seen');
    assert.ok([...secrets].some((s) => /^\d{6}$/.test(s)), 'no code was seen');
    for (const error of collectedErrors) assertNoSecrets(error);
  });
});
