// The real WASM module, imported from the running mock server into headless Chromium, through the
// documented flows of js-api.md. Secrets never reach assertion messages.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CLIENT_KEY, PASSWORD, USERS, launchBrowser, mockHook, runWithModule, startMockServer } from './harness.mjs';

let server;
let browser;
let page;
let apiRequests;

const run = (fn, extra) => runWithModule(page, server, fn, extra);

function assertNoSecrets(text) {
  for (const secret of [PASSWORD, CLIENT_KEY]) {
    assert.equal(String(text).includes(secret), false, 'a secret leaked into an error');
  }
}

before(async () => {
  server = await startMockServer();
  browser = await launchBrowser();
  page = await browser.newPage();
  apiRequests = [];
  page.on('request', (request) => {
    if (request.url().includes('/v1/')) apiRequests.push(request);
  });
  await page.goto(server.url);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

beforeEach(async () => {
  await mockHook(server, '/__mock/reset', {});
  apiRequests.length = 0;
});

describe('exports', () => {
  test('createClient, BaanxError and ErrorCode are exported as js-api.md says', async () => {
    const { value } = await run(async (m) => ({
      createClient: typeof m.createClient,
      errorIsError: new m.BaanxError('network', 'x') instanceof Error,
      errorName: new m.BaanxError('network', 'x').name,
      codes: Object.values(m.ErrorCode).sort(),
      frozen: Object.isFrozen(m.ErrorCode),
      invalidOtp: m.ErrorCode.INVALID_OTP,
    }));
    assert.equal(value.createClient, 'function');
    assert.equal(value.errorIsError, true);
    assert.equal(value.errorName, 'BaanxError');
    assert.equal(value.frozen, true);
    assert.equal(value.invalidOtp, 'invalid_otp');
    assert.deepEqual(value.codes, [
      'aborted', 'account_disabled', 'account_locked', 'http_error', 'invalid_argument',
      'invalid_client_key', 'invalid_credentials', 'invalid_otp', 'invalid_response',
      'missing_client_key', 'module_load', 'network', 'otp_expired', 'rate_limited', 'resend_cooldown',
      'server_error', 'timeout', 'unauthorized',
    ]);
  });
});

describe('login', () => {
  test('a user without OTP is authenticated at once and the session is kept', async () => {
    const { value } = await run(async (m, config, { email, password }) => {
      const client = await m.createClient(config);
      const before = Date.now();
      const result = await client.login({ email, password });
      return {
        keys: Object.keys(result).sort(),
        status: result.status,
        tokenShape: /^US_[0-9a-f-]{36}$/.test(result.accessToken),
        userIdShape: /^[0-9a-f-]{36}$/.test(result.userId),
        expiresInMs: result.expiresAt - before,
        verificationState: result.verificationState,
        isLinked: result.isLinked,
        sessionMatches: client.session.accessToken === result.accessToken &&
          client.session.userId === result.userId && client.session.expiresAt === result.expiresAt,
      };
    }, { email: USERS.grace, password: PASSWORD });
    assert.equal(value.status, 'authenticated');
    assert.deepEqual(value.keys,
      ['accessToken', 'expiresAt', 'isLinked', 'status', 'userId', 'verificationState']);
    assert.ok(value.tokenShape);
    assert.ok(value.userIdShape);
    const sixHours = 6 * 3600 * 1000;
    assert.ok(value.expiresInMs >= sixHours - 1000 && value.expiresInMs <= sixHours + 5000);
    assert.equal(value.verificationState, 'VERIFIED');
    assert.equal(value.isLinked, false);
    assert.ok(value.sessionMatches);
  });

  test('OTP flow: login, sendOtp, code from the mock phone, login with code', async () => {
    const { value, error } = await run(async (m, config, { email, password }) => {
      const client = await m.createClient(config);
      const first = await client.login({ email, password });
      const sessionAfterFirst = client.session;
      const t0 = Date.now();
      const sent = await client.sendOtp({ userId: first.userId });
      const phone = await (await fetch(`/__mock/otp?userId=${first.userId}`)).json();
      const second = await client.login({ email, password, otpCode: ` ${phone.code} ` });
      return {
        firstKeys: Object.keys(first).sort(),
        firstStatus: first.status,
        phoneNumber: first.phoneNumber,
        sessionAfterFirst,
        sentSuccess: sent.success,
        cooldownMs: sent.resendAvailableAt - t0,
        secondStatus: second.status,
        sameUser: second.userId === first.userId,
        sessionSet: client.session !== null && client.session.accessToken === second.accessToken,
      };
    }, { email: USERS.ada, password: PASSWORD });
    assert.equal(error, undefined, error && `${error.code}: ${error.message}`);
    assert.equal(value.firstStatus, 'otp_required');
    assert.deepEqual(value.firstKeys, ['phoneNumber', 'status', 'userId']);
    assert.equal(value.phoneNumber, '+445*****225');
    assert.equal(value.sessionAfterFirst, null);
    assert.equal(value.sentSuccess, true);
    assert.ok(value.cooldownMs >= 59000 && value.cooldownMs <= 61000);
    assert.equal(value.secondStatus, 'authenticated');
    assert.ok(value.sameUser);
    assert.ok(value.sessionSet);
  });

  test('unfinished onboarding is reported with its phase and no token', async () => {
    const { value } = await run(async (m, config, { email, password }) => {
      const client = await m.createClient(config);
      const result = await client.login({ email, password });
      return { result, session: client.session };
    }, { email: USERS.linus, password: PASSWORD });
    assert.equal(value.result.status, 'onboarding_required');
    assert.equal(value.result.phase, 'PHONE_NUMBER');
    assert.equal('accessToken' in value.result, false);
    assert.equal(value.session, null);
  });

  test('a disabled account rejects with account_disabled', async () => {
    const { error } = await run(async (m, config, { email, password }) => {
      const client = await m.createClient(config);
      return client.login({ email, password });
    }, { email: USERS.mallory, password: PASSWORD });
    assert.equal(error.isBaanxError, true);
    assert.equal(error.code, 'account_disabled');
    assert.equal(error.status, 403);
  });

  test('a wrong password rejects with invalid_credentials and no secret in the error', async () => {
    const { error } = await run(async (m, config, { email }) => {
      const client = await m.createClient(config);
      return client.login({ email, password: 'Wrong-Passw0rd!' });
    }, { email: USERS.grace });
    assert.equal(error.code, 'invalid_credentials');
    assert.equal(error.status, 401);
    assert.equal(error.message.includes('Wrong-Passw0rd!'), false);
    assert.equal(error.stack.includes('Wrong-Passw0rd!'), false);
    assertNoSecrets(error.message);
  });

  test('a wrong code rejects with invalid_otp', async () => {
    const { error } = await run(async (m, config, { email, password }) => {
      const client = await m.createClient(config);
      const first = await client.login({ email, password });
      await client.sendOtp({ userId: first.userId });
      const phone = await (await fetch(`/__mock/otp?userId=${first.userId}`)).json();
      const wrong = String((Number(phone.code) + 1) % 1000000).padStart(6, '0');
      return client.login({ email, password, otpCode: wrong });
    }, { email: USERS.ada, password: PASSWORD });
    assert.equal(error.code, 'invalid_otp');
    assert.equal(error.status, 400);
  });

  test('bad input rejects with invalid_argument naming the field, before any request', async () => {
    const { value } = await run(async (m, config) => {
      const client = await m.createClient(config);
      const codes = [];
      for (const input of [
        { email: 'not-an-address', password: 'x' },
        { email: 'a@example.com', password: '' },
        { email: 'a@example.com', password: 'x', otpCode: '12345' },
        { email: 'a@example.com', password: 42 },
        undefined,
      ]) {
        try {
          await client.login(input);
          codes.push('resolved');
        } catch (e) {
          codes.push(`${e.code}:${e.field}`);
        }
      }
      try {
        await client.sendOtp({ userId: 'not-a-uuid' });
      } catch (e) {
        codes.push(`${e.code}:${e.field}`);
      }
      return codes;
    });
    assert.deepEqual(value, [
      'invalid_argument:email', 'invalid_argument:password', 'invalid_argument:otpCode',
      'invalid_argument:password', 'invalid_argument:input', 'invalid_argument:userId',
    ]);
    assert.equal(apiRequests.length, 0);
  });
});

describe('createClient', () => {
  test('a bad config rejects with invalid_argument and the field', async () => {
    const { value } = await run(async (m) => {
      const fields = [];
      for (const config of [
        { baseUrl: 'http://example.com', clientKey: 'k' },
        { baseUrl: 'https://dev.api.baanx.com', clientKey: '' },
        { baseUrl: 'https://dev.api.baanx.com', clientKey: 'k', region: 'eu' },
        { baseUrl: 'https://dev.api.baanx.com', clientKey: 'k', timeoutMs: -1 },
        null,
      ]) {
        try {
          await m.createClient(config);
          fields.push('resolved');
        } catch (e) {
          fields.push(`${e instanceof m.BaanxError}:${e.code}:${e.field}`);
        }
      }
      return fields;
    });
    assert.deepEqual(value, [
      'true:invalid_argument:baseUrl', 'true:invalid_argument:clientKey',
      'true:invalid_argument:region', 'true:invalid_argument:timeoutMs',
      'true:invalid_argument:config',
    ]);
  });

  test('region us sends x-us-env: true, with the client key header', async () => {
    const { value } = await run(async (m, config, { email, password }) => {
      const client = await m.createClient({ ...config, region: 'us' });
      return (await client.login({ email, password })).status;
    }, { email: USERS.grace, password: PASSWORD });
    assert.equal(value, 'authenticated');
    const login = apiRequests.find((r) => r.method() === 'POST');
    assert.ok(login, 'no login request seen');
    const headers = login.headers();
    assert.equal(headers['x-us-env'], 'true');
    assert.equal(headers['x-client-key'] === CLIENT_KEY, true);
    assert.equal(headers['content-type'], 'application/json');
  });

  test('a base URL with a path prefix reaches the prefixed endpoint', async () => {
    const { error } = await run(async (m, config, { email, password }) => {
      const client = await m.createClient({ ...config, baseUrl: config.baseUrl + 'proxy/' });
      return client.login({ email, password });
    }, { email: USERS.grace, password: PASSWORD });
    // The mock serves no /proxy prefix, so the call fails; the request shows the URL carried it.
    assert.equal(error.isBaanxError, true);
    assert.ok(apiRequests.some((r) => new URL(r.url()).pathname === '/proxy/v1/auth/login'));
  });

  test("a path-absolute base URL '/' is the page's origin: login works there", async () => {
    const { value, error } = await run(async (m, config, { email, password }) => {
      const given = { ...config, baseUrl: '/' };
      const client = await m.createClient(given);
      const result = await client.login({ email, password });
      return { status: result.status, baseUrlAfter: given.baseUrl };
    }, { email: USERS.grace, password: PASSWORD });
    assert.equal(error, undefined, error && `${error.code}: ${error.message}`);
    assert.equal(value.status, 'authenticated');
    assert.equal(value.baseUrlAfter, '/', "the app's config object is left as it was");
    assert.deepEqual(apiRequests.map((r) => `${r.method()} ${r.url()}`),
      [`POST ${server.url}v1/auth/login`]);
  });

  test("a path-absolute base URL keeps its prefix, on the page's origin", async () => {
    const { error } = await run(async (m, config, { email, password }) => {
      const client = await m.createClient({ ...config, baseUrl: '/baanx/' });
      return client.login({ email, password });
    }, { email: USERS.grace, password: PASSWORD });
    // The mock serves no /baanx prefix, so the call fails; the request shows where it went.
    assert.equal(error.isBaanxError, true);
    assert.deepEqual(apiRequests.map((r) => `${r.method()} ${r.url()}`),
      [`POST ${server.url}baanx/v1/auth/login`]);
  });

  test('a scheme-relative base URL is not path-absolute: refused before any request', async () => {
    const { value } = await run(async (m, config) => {
      const outcomes = [];
      for (const baseUrl of ['//evil.example', '/\\evil.example', '//127.0.0.1/', 'baanx']) {
        outcomes.push(await m.createClient({ ...config, baseUrl }).then(
          () => 'resolved', (e) => `${e instanceof m.BaanxError}:${e.code}:${e.field}`));
      }
      return outcomes;
    });
    assert.deepEqual(value, Array(4).fill('true:invalid_argument:baseUrl'));
    assert.equal(apiRequests.length, 0);
  });
});

describe('optional inputs', () => {
  // baanx-auth.d.ts lets every optional input property be an explicit undefined, which must mean
  // what leaving it out means.
  test('an explicit undefined for each optional property is taken as not given', async () => {
    const { value, error } = await run(async (m, config, { email, password }) => {
      const client = await m.createClient({ ...config, region: undefined, timeoutMs: undefined,
        resendCooldownMs: undefined, locateFile: undefined });
      const none = { signal: undefined, timeoutMs: undefined };
      const first = await client.login({ email, password, otpCode: undefined }, none);
      const sent = await client.sendOtp({ userId: first.userId }, none);
      const made = new m.BaanxError('network', 'offline',
        { status: undefined, field: undefined, retryAfterMs: undefined });
      const flow = await client.loginWithOtp({ email, password }, {
        ...none,
        attempts: undefined,
        onOtpRequired: async ({ userId }) =>
          (await (await fetch(`/__mock/otp?userId=${userId}`)).json()).code,
      });
      return {
        first: first.status,
        sent: sent.success,
        cooldownMs: sent.resendAvailableAt - Date.now(),
        made: [made.status, 'field' in made, 'retryAfterMs' in made],
        flow: flow.status,
      };
    }, { email: USERS.ada, password: PASSWORD });
    assert.equal(error, undefined, error && `${error.code}: ${error.message}`);
    const { cooldownMs, ...rest } = value;
    assert.deepEqual(rest,
      { first: 'otp_required', sent: true, made: [0, false, false], flow: 'authenticated' });
    assert.ok(cooldownMs > 55000 && cooldownMs <= 60000, 'the default resend cooldown applies');
    assert.ok(apiRequests.every((r) => r.headers()['x-us-env'] === undefined));
  });
});

describe('loading the .wasm', () => {
  // Each import of a new blob: URL is a new module instance, with nothing loaded yet.
  test('a module run from a blob: URL needs locateFile, and says so with a BaanxError', async () => {
    const outcome = await page.evaluate(async ({ base, key, email, password }) => {
      const text = await (await fetch('/baanx-auth.mjs')).text();
      const fresh = () => import(URL.createObjectURL(new Blob([text], { type: 'text/javascript' })));
      const describe = (e) => ({ baanx: e instanceof Error && e.name === 'BaanxError', code: e.code,
        message: e.message });
      const result = {};
      const config = { baseUrl: base, clientKey: key };
      const bare = await fresh();
      result.bare = await bare.createClient(config).then(() => 'resolved', describe);
      const throwing = await fresh();
      result.throwing = await throwing.createClient({ ...config, locateFile: () => {
        throw new Error('no CDN configured');
      } }).then(() => 'resolved', describe);
      const wrongType = await fresh();
      result.wrongType = await wrongType.createClient({ ...config, locateFile: () => 42 })
        .then(() => 'resolved', describe);
      const located = await fresh();
      const asked = [];
      const client = await located.createClient({ ...config, locateFile: (name, directory) => {
        asked.push([name, directory]);
        return `${location.origin}/${name}`;
      } });
      result.asked = asked;
      result.status = (await client.login({ email, password })).status;
      return result;
    }, { base: server.url, key: CLIENT_KEY, email: USERS.grace, password: PASSWORD });
    assert.equal(outcome.bare.baanx, true);
    assert.equal(outcome.bare.code, 'module_load');
    assert.match(outcome.bare.message, /blob: URL.*pass locateFile/);
    assert.equal(outcome.throwing.baanx, true);
    assert.equal(outcome.throwing.code, 'module_load');
    assert.match(outcome.throwing.message, /no CDN configured/);
    assert.equal(outcome.wrongType.baanx, true);
    assert.equal(outcome.wrongType.code, 'module_load');
    assert.match(outcome.wrongType.message, /locateFile returned number, not a URL/);
    assert.deepEqual(outcome.asked, [['baanx-auth.wasm', '']]);
    assert.equal(outcome.status, 'authenticated');
  });

  test('a .wasm that is missing, a web page or unreachable rejects with module_load naming ' +
    'its URL, and the next call loads it', async () => {
    const closedPort = await new Promise((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address();
        probe.close(() => resolve(port));
      });
    });
    const outcome = await page.evaluate(async ({ base, key, email, password, closedPort }) => {
      const text = await (await fetch('/baanx-auth.mjs')).text();
      const m = await import(URL.createObjectURL(new Blob([text], { type: 'text/javascript' })));
      const urls = {
        missing: `${location.origin}/nowhere/baanx-auth.wasm`,
        page: `${location.origin}/`,
        unreachable: `http://127.0.0.1:${closedPort}/baanx-auth.wasm`,
        real: `${location.origin}/baanx-auth.wasm`,
      };
      const config = { baseUrl: base, clientKey: key };
      const result = { urls };
      for (const name of ['missing', 'page', 'unreachable']) {
        result[name] = await m.createClient({ ...config, locateFile: () => urls[name] }).then(
          () => 'resolved',
          (e) => ({ baanx: e instanceof m.BaanxError, code: e.code, status: e.status,
            message: e.message }));
      }
      const client = await m.createClient({ ...config, locateFile: () => urls.real });
      result.status = (await client.login({ email, password })).status;
      return result;
    }, { base: server.url, key: CLIENT_KEY, email: USERS.grace, password: PASSWORD, closedPort });
    for (const [name, reason] of [
      ['missing', /HTTP 404/], ['page', /text\/html/], ['unreachable', /could not be fetched/],
    ]) {
      const error = outcome[name];
      assert.equal(error.baanx, true, name);
      assert.equal(error.code, 'module_load', name);
      assert.equal(error.status, 0, name);
      assert.ok(error.message.includes(outcome.urls[name]), `${name}: ${error.message}`);
      assert.match(error.message, reason, name);
      assert.match(error.message, /locateFile/, name);
      assert.match(error.message, /application\/wasm/, name);
      assert.match(error.message, /bundler/, name);
      assertNoSecrets(error.message);
    }
    assert.equal(outcome.status, 'authenticated');
  });

  test('by default, a .wasm answered with a web page (a dev server\'s fallback) rejects with ' +
    'module_load naming the URL beside the module', async () => {
    // A server whose module directory holds the real module and, as its .wasm, an HTML page: what
    // a dev server that answers every unknown path with its index.html hands out. Served from its
    // own origin, so the module loads afresh there.
    const dir = mkdtempSync(path.join(tmpdir(), 'baanx-module-html-'));
    const moduleDir = process.env.BAANX_MODULE_DIR ??
      fileURLToPath(new URL('../../build/wasm/module', import.meta.url));
    const html = '<!doctype html><html><head><title>App</title></head><body></body></html>\n';
    copyFileSync(path.join(moduleDir, 'baanx-auth.mjs'), path.join(dir, 'baanx-auth.mjs'));
    writeFileSync(path.join(dir, 'baanx-auth.wasm'), html);
    writeFileSync(path.join(dir, 'index.html'), html);
    const other = await startMockServer({ webRoot: dir, moduleDir: dir });
    const otherPage = await browser.newPage();
    try {
      await otherPage.goto(other.url);
      const { error } = await runWithModule(otherPage, other, async (m, config) =>
        m.createClient(config));
      assert.equal(error.isBaanxError, true);
      assert.equal(error.code, 'module_load');
      assert.equal(error.status, 0);
      assert.ok(error.message.includes(`${other.url}baanx-auth.wasm`), error.message);
      assert.match(error.message, /not WebAssembly/);
      assert.match(error.message, /locateFile/);
    } finally {
      await otherPage.close();
      await other.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('across origins', () => {
  test('a page on localhost talks to the API on 127.0.0.1 through CORS', async () => {
    const other = await browser.newPage();
    try {
      await other.goto(`http://localhost:${server.port}/`);
      const status = await other.evaluate(async ({ api, key, email, password }) => {
        const m = await import(`${api}baanx-auth.mjs`);
        const client = await m.createClient({ baseUrl: api, clientKey: key });
        const first = await client.login({ email, password });
        const sent = await client.sendOtp({ userId: first.userId });
        return `${first.status}/${sent.success}`;
      }, { api: server.url, key: CLIENT_KEY, email: USERS.ada, password: PASSWORD });
      assert.equal(status, 'otp_required/true');
    } finally {
      await other.close();
    }
  });
});
