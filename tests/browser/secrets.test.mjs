// Secrets in the module's memory: after every sign-in, sign-out and error path, the whole
// WebAssembly memory (heap, stack and static data alike) is searched for each password and code the
// page typed and each token any API response carried. None may be left, except the one copy of the
// token the session holds while signed in. The memory is found by watching WebAssembly.instantiate
// from an init script: the module itself is the one users get, unchanged.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { PASSWORD, USERS, launchBrowser, mockHook, runWithModule, startMockServer } from './harness.mjs';

const ADA_ID = '9979782e-bfa2-42ed-9dee-c76eab6a6326';
const WRONG_PASSWORD = 'Wrong-Passw0rd-\u00c5\u00e9\u2713';

let server;
let browser;
let page;
const tokens = new Set();  // every token an API response carried
const codes = new Set();   // every code the mock sent
const bodyReads = [];

const run = (fn, extra) => runWithModule(page, server, fn, extra);

// Records every WebAssembly.Memory an instance exports or imports.
function watchMemories() {
  window.wasmMemories = [];
  const instantiate = WebAssembly.instantiate;
  WebAssembly.instantiate = function (source, imports) {
    return instantiate.call(this, source, imports).then((result) => {
      const instance = result instanceof WebAssembly.Instance ? result : result.instance;
      const found = [...Object.values(instance.exports)];
      for (const namespace of Object.values(imports ?? {})) found.push(...Object.values(namespace));
      for (const value of found) {
        if (value instanceof WebAssembly.Memory && !window.wasmMemories.includes(value)) {
          window.wasmMemories.push(value);
        }
      }
      return result;
    });
  };
}

// Where each secret occurs in the module's memory: { name: [offset, ...] } for those found.
async function findSecrets(secrets) {
  await Promise.all(bodyReads);
  return page.evaluate((named) => {
    const memories = window.wasmMemories;
    if (memories.length !== 1) return { memories: memories.length };
    const bytes = new Uint8Array(memories[0].buffer);
    const found = {};
    for (const [name, text] of Object.entries(named)) {
      const needle = new TextEncoder().encode(text);
      const offsets = [];
      for (let at = bytes.indexOf(needle[0]); at !== -1; at = bytes.indexOf(needle[0], at + 1)) {
        let i = 1;
        while (i < needle.length && bytes[at + i] === needle[i]) i++;
        if (i === needle.length) offsets.push(at);
      }
      if (offsets.length) found[name] = offsets;
    }
    return { memories: 1, size: bytes.length, found };
  }, secrets);
}

// The secrets seen so far, named without showing them: "code 2", "token 5".
function allSecrets(extra = {}) {
  const named = { password: PASSWORD, 'wrong password': WRONG_PASSWORD, ...extra };
  [...codes].forEach((code, i) => { named[`code ${i + 1}`] = code; });
  [...tokens].forEach((token, i) => { named[`token ${i + 1}`] = token; });
  return named;
}

// Asserts that no secret is in memory, but for `held` (the session's token), found once at most.
async function assertNoSecrets(step, held) {
  const secrets = allSecrets();
  const result = await findSecrets(secrets);
  assert.equal(result.memories, 1, 'the module\'s memory was not found');
  const left = Object.entries(result.found)
    .filter(([name, offsets]) => !(held && secrets[name] === held && offsets.length === 1))
    .map(([name, offsets]) => `${name} ${offsets.length}x at ${offsets.join(', ')}`);
  assert.deepEqual(left, [], `${step}: secrets left in the module's memory: ${left.join('; ')}`);
  return result;
}

async function codeFor(userId) {
  const response = await fetch(new URL(`/__mock/otp?userId=${userId}`, server.url));
  const { code } = await response.json();
  if (code) codes.add(code);
  return code;
}

// The last session token the page holds, read from the page (never printed).
const sessionToken = () => page.evaluate(() => window.client?.session?.accessToken ?? null);

const fault = (body) => mockHook(server, '/__mock/fault', body);

before(async () => {
  server = await startMockServer();
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.addInitScript(watchMemories);
  page.on('response', (response) => {
    if (!new URL(response.url()).pathname.startsWith('/v1/')) return;
    bodyReads.push(response.text().then((text) => {
      for (const token of text.match(/US_[^"\\\s]{6,}/g) ?? []) tokens.add(token);
    }, () => {}));
  });
  await page.goto(server.url);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// A client of its own for each test: the client's resend cooldown would carry over.
beforeEach(async () => {
  await mockHook(server, '/__mock/reset', {});
  const { error } = await run(async (m, config) => {
    await window.client?.logout().catch(() => {});  // a test that failed may have left a session
    window.client = await m.createClient(config);
  });
  assert.equal(error, undefined);
});

describe('no secret stays in the WebAssembly memory', () => {
  test('the scan finds a secret the module holds: the session token while signed in', async () => {
    const { error } = await run(async (m, config, { email, password }) => {
      await window.client.login({ email, password });
    }, { email: USERS.grace, password: PASSWORD });
    assert.equal(error, undefined, error && error.code);
    const token = await sessionToken();
    assert.ok(token, 'no session');
    const { found, size } = await findSecrets({ token });
    assert.ok(size >= 1 << 20, `only ${size} bytes of memory scanned`);
    assert.equal(found.token?.length, 1, 'the session\'s token was not found exactly once');
    await assertNoSecrets('after a login', token);
    await run(() => window.client.logout());
    await assertNoSecrets('after logout');
  });

  test('a login that replaces a session leaves only the new token', async () => {
    const login = () => run(async (m, config, { email, password }) => {
      await window.client.login({ email, password });
    }, { email: USERS.grace, password: PASSWORD });
    await login();
    const first = await sessionToken();
    await login();
    const second = await sessionToken();
    assert.notEqual(first, second);
    await assertNoSecrets('after the second login', second);
    await run(() => window.client.logout());
    await assertNoSecrets('after logout');
  });

  test('the two-step login: a wrong code, then the right one', async () => {
    const step = (extra) => run(async (m, config, { email, password, otpCode }) => {
      const result = await window.client.login({ email, password, otpCode }).then(
        (r) => r.status, (e) => e.code);
      return result;
    }, { email: USERS.ada, password: PASSWORD, ...extra });
    assert.equal((await step({})).value, 'otp_required');
    await assertNoSecrets('after the first step');
    await run(async (m, config, { userId }) => {
      await window.client.sendOtp({ userId });
    }, { userId: ADA_ID });
    const code = await codeFor(ADA_ID);
    const wrong = code === '917364' ? '917365' : '917364';
    codes.add(wrong);
    assert.equal((await step({ otpCode: wrong })).value, 'invalid_otp');
    await assertNoSecrets('after a wrong code');
    assert.equal((await step({ otpCode: code })).value, 'authenticated');
    await assertNoSecrets('after the code', await sessionToken());
    await run(() => window.client.logout());
    await assertNoSecrets('after logout');
  });

  test('loginWithOtp, with a rejected code and a second attempt', async () => {
    const { value, error } = await run(async (m, config, { email, password, userId }) => {
      let asked = 0;
      const result = await window.client.loginWithOtp({ email, password }, {
        attempts: 2,
        onOtpRequired: async () => {
          asked += 1;
          if (asked === 1) return '000111';
          const phone = await (await fetch(`/__mock/otp?userId=${userId}`)).json();
          return phone.code;
        },
      });
      return { status: result.status, asked };
    }, { email: USERS.ada, password: PASSWORD, userId: ADA_ID });
    assert.equal(error, undefined, error && `${error.code} ${error.field} ${error.message}`);
    assert.deepEqual(value, { status: 'authenticated', asked: 2 });
    codes.add('000111');
    await codeFor(ADA_ID);
    await assertNoSecrets('after loginWithOtp', await sessionToken());
    await run(() => window.client.logout());
    await assertNoSecrets('after logout');
  });

  test('every error path of login', async () => {
    const attempt = (extra) => run(async (m, config, { email, password, otpCode, abort }) => {
      const controller = new AbortController();
      const call = window.client.login({ email, password, otpCode }, { signal: controller.signal });
      if (abort) controller.abort();
      return call.then((r) => r.status, (e) => e.code);
    }, { email: USERS.grace, password: PASSWORD, ...extra });
    const cases = [
      ['wrong password', { password: WRONG_PASSWORD }, undefined, 'invalid_credentials'],
      ['invalid email', { email: 'not-an-email' }, undefined, 'invalid_argument'],
      ['invalid code', { otpCode: '12ab' }, undefined, 'invalid_argument'],
      ['disabled account', { email: USERS.mallory }, undefined, 'account_disabled'],
      ['5xx page', {}, { kind: 'html_5xx', status: 502 }, 'server_error'],
      ['truncated JSON', {}, { kind: 'truncated_json' }, 'invalid_response'],
      ['wrong types', {}, { kind: 'wrong_types' }, 'invalid_response'],
      // More than once: Chromium may retry a request whose reused connection closed silently.
      ['dropped connection', {}, { kind: 'drop', times: 5 }, 'network'],
      ['rate limited', {}, { kind: 'rate_limit_seconds', seconds: 30 }, 'rate_limited'],
      ['aborted', { abort: true }, undefined, 'aborted'],
      ['token with a code still due', {}, {
        kind: 'status', status: 200, body: JSON.stringify({
          accessToken: 'US_never-to-be-used-4f0e2a', userId: ADA_ID, isOtpRequired: true,
          phoneNumber: '+445*****225', phase: null, verificationState: 'VERIFIED', isLinked: false,
        }),
      }, 'otp_required'],
      ['token a header cannot carry', {}, {
        kind: 'status', status: 200, body: JSON.stringify({
          accessToken: 'US_unsafe-\u00e9-token-9d1c', userId: ADA_ID, isOtpRequired: false,
          phoneNumber: null, phase: null, verificationState: 'VERIFIED', isLinked: false,
        }),
      }, 'invalid_response'],
      ['a 500 echoing a token', {}, {
        kind: 'status', status: 500, body: '{"message":"US_echoed-in-error-7a2b"}',
      }, 'server_error'],
    ];
    codes.add('12ab');
    for (const [name, extra, injected, expected] of cases) {
      if (injected) await fault({ path: '/v1/auth/login', ...injected });
      const { value, error } = await attempt(extra);
      assert.equal(error, undefined, `${name}: ${error && error.code}`);
      assert.equal(value, expected, name);
      await assertNoSecrets(`after ${name}`);
      await mockHook(server, '/__mock/reset', {});
    }
    for (const injected of ['US_never-to-be-used-4f0e2a', 'US_unsafe-\u00e9-token-9d1c',
      'US_echoed-in-error-7a2b']) {
      assert.ok(tokens.has(injected), 'an injected token was never served');
    }
  });

  test('a login that times out, once its late answer has arrived', async () => {
    await fault({ path: '/v1/auth/login', kind: 'delay', delayMs: 400 });
    const { value } = await run(async (m, config, { email, password }) => {
      const outcome = await window.client.login({ email, password }, { timeoutMs: 100 })
        .then((r) => r.status, (e) => e.code);
      await new Promise((resolve) => setTimeout(resolve, 1600));  // the late answer comes and goes
      return outcome;
    }, { email: USERS.grace, password: PASSWORD });
    assert.equal(value, 'timeout');
    await assertNoSecrets('after a timed-out login');
  });

  test('logout answered by a 5xx, and a logout that times out', async () => {
    const login = () => run(async (m, config, { email, password }) => {
      await window.client.login({ email, password });
    }, { email: USERS.grace, password: PASSWORD });
    await login();
    await fault({ path: '/v1/auth/logout', kind: 'html_5xx', status: 503 });
    const failed = await run(() => window.client.logout().then(() => 'ok', (e) => e.code));
    assert.equal(failed.value, 'server_error');
    await assertNoSecrets('after a failed logout');
    await login();
    await fault({ path: '/v1/auth/logout', kind: 'delay', delayMs: 400 });
    const late = await run(async () => {
      const outcome = await window.client.logout({ timeoutMs: 100 }).then(() => 'ok', (e) => e.code);
      await new Promise((resolve) => setTimeout(resolve, 1600));
      return outcome;
    });
    assert.equal(late.value, 'timeout');
    await assertNoSecrets('after a timed-out logout');
  });

  test('a session kept in storage: restored, followed from another tab, ended', async () => {
    // A real record, kept in the page's JS (outside the module) while the session is ended.
    const signedIn = await run(async (m, config, { email, password }) => {
      await window.client.login({ email, password });
      window.keptRecord = JSON.stringify(window.client.session);
      await window.client.logout();
    }, { email: USERS.grace, password: PASSWORD });
    assert.equal(signedIn.error, undefined);
    await assertNoSecrets('after the sign-out');
    const restored = await run(async (m, config) => {
      localStorage.setItem('baanx-auth.session', window.keptRecord);
      window.stored = await m.createClient({ ...config, storage: 'local' });
      return window.stored.session !== null;
    });
    assert.equal(restored.value, true);
    const token = await page.evaluate(() => window.stored.session.accessToken);
    await assertNoSecrets('after a restore', token);
    // Another tab's sign-out and sign-in, as the window's storage event brings them.
    const otherTab = (record) => run(async (m, config, { record }) => {
      window.dispatchEvent(new StorageEvent('storage', {
        key: 'baanx-auth.session', newValue: record, storageArea: localStorage,
      }));
      await new Promise((resolve) => setTimeout(resolve, 10));
      return window.stored.session !== null;
    }, { record });
    assert.equal((await otherTab(null)).value, false);
    await assertNoSecrets('after another tab signed out');
    const record = await page.evaluate(() => window.keptRecord);
    assert.equal((await otherTab(record)).value, true);
    await assertNoSecrets('after another tab signed in', token);
    await run(() => window.stored.logout().catch(() => {}));  // the token was revoked above
    await assertNoSecrets('after logout');
    await page.evaluate(() => localStorage.clear());
  });

  test('sendOtp answered and refused', async () => {
    await run(async (m, config, { email, password, userId }) => {
      await window.client.login({ email, password });
      await window.client.sendOtp({ userId });
      await window.client.sendOtp({ userId }).catch(() => {});  // the client's cooldown
    }, { email: USERS.ada, password: PASSWORD, userId: ADA_ID });
    await codeFor(ADA_ID);
    await assertNoSecrets('after sendOtp');
  });
});
