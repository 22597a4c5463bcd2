// The rest of the js-api.md contract through the real module: loginWithOtp, shared Promises for
// identical calls, many different calls at once, the resend cooldown, logout and the session.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { PASSWORD, USERS, launchBrowser, mockHook, runWithModule, startMockServer } from './harness.mjs';

let server;
let browser;
let page;
let apiRequests;

const run = (fn, extra) => runWithModule(page, server, fn, extra);

const requestsTo = (path) => apiRequests.filter((r) => new URL(r.url()).pathname === path);

before(async () => {
  server = await startMockServer();
  browser = await launchBrowser({ args: ['--js-flags=--expose-gc'] });  // window.gc()
  page = await browser.newPage();
  apiRequests = [];
  page.on('request', (request) => {
    if (request.url().includes('/v1/') && request.method() === 'POST') apiRequests.push(request);
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

describe('loginWithOtp', () => {
  test('runs login, send, prompt and login with the code in one call', async () => {
    const { value, error } = await run(async (m, config, { email, password }) => {
      const client = await m.createClient(config);
      const prompts = [];
      const result = await client.loginWithOtp({ email, password }, {
        onOtpRequired: async ({ userId, phoneNumber, resend }) => {
          prompts.push({ userId, phoneNumber, resend: typeof resend });
          const phone = await (await fetch(`/__mock/otp?userId=${userId}`)).json();
          return phone.code;
        },
      });
      return { status: result.status, prompts, hasSession: client.session !== null };
    }, { email: USERS.ada, password: PASSWORD });
    assert.equal(error, undefined, error && error.code);
    assert.equal(value.status, 'authenticated');
    assert.equal(value.prompts.length, 1);
    assert.equal(value.prompts[0].phoneNumber, '+445*****225');
    assert.equal(value.prompts[0].resend, 'function');
    assert.equal(value.hasSession, true);
    assert.equal(requestsTo('/v1/auth/login').length, 2);
    assert.equal(requestsTo('/v1/auth/login/otp').length, 1);
  });

  test('a user without OTP resolves without a prompt', async () => {
    const { value } = await run(async (m, config, { email, password }) => {
      const client = await m.createClient(config);
      let asked = false;
      const result = await client.loginWithOtp({ email, password }, {
        onOtpRequired: () => { asked = true; return '000000'; },
      });
      return { status: result.status, asked };
    }, { email: USERS.grace, password: PASSWORD });
    assert.deepEqual(value, { status: 'authenticated', asked: false });
  });

  test('a rejected code rejects with invalid_otp and is never resubmitted', async () => {
    const { error } = await run(async (m, config, { email, password }) => {
      const client = await m.createClient(config);
      return client.loginWithOtp({ email, password }, {
        onOtpRequired: async ({ userId }) => {
          const phone = await (await fetch(`/__mock/otp?userId=${userId}`)).json();
          return String((Number(phone.code) + 1) % 1000000).padStart(6, '0');
        },
      });
    }, { email: USERS.ada, password: PASSWORD });
    assert.equal(error.code, 'invalid_otp');
    assert.equal(requestsTo('/v1/auth/login').length, 2);
  });

  test('a code sent moments ago from another page load: the 429 still leads to the prompt', async () => {
    const { value, error } = await run(async (m, config, { email, password }) => {
      // The earlier page load: its client sent a code, then the page went away.
      const earlier = await m.createClient(config);
      const { userId } = await earlier.login({ email, password });
      await earlier.sendOtp({ userId });
      // This page load: a new client, whose own send the server refuses (HTTP 429).
      const client = await m.createClient(config);
      const prompts = [];
      const result = await client.loginWithOtp({ email, password }, {
        onOtpRequired: async (prompt) => {
          prompts.push({ codeSent: prompt.codeSent, waits: prompt.resendAvailableAt > Date.now(),
            error: prompt.error });
          const phone = await (await fetch(`/__mock/otp?userId=${prompt.userId}`)).json();
          return phone.code;
        },
      });
      return { status: result.status, prompts };
    }, { email: USERS.ada, password: PASSWORD });
    assert.equal(error, undefined, error && error.code);
    assert.deepEqual(value, { status: 'authenticated',
      prompts: [{ codeSent: false, waits: true, error: null }] });
    assert.equal(requestsTo('/v1/auth/login/otp').length, 2);  // the earlier one, the refused one
  });

  test('with attempts, a rejected code asks again with the error, and nothing is resubmitted', async () => {
    const { value, error } = await run(async (m, config, { email, password }) => {
      const client = await m.createClient(config);
      const errors = [];
      const result = await client.loginWithOtp({ email, password }, {
        attempts: 2,
        onOtpRequired: async (prompt) => {
          errors.push(prompt.error ? `${prompt.error.name}:${prompt.error.code}` : null);
          const { code } = await (await fetch(`/__mock/otp?userId=${prompt.userId}`)).json();
          return errors.length === 1 ? String((Number(code) + 1) % 1000000).padStart(6, '0') : code;
        },
      });
      return { status: result.status, errors };
    }, { email: USERS.ada, password: PASSWORD });
    assert.equal(error, undefined, error && error.code);
    assert.deepEqual(value, { status: 'authenticated', errors: [null, 'BaanxError:invalid_otp'] });
    assert.equal(requestsTo('/v1/auth/login').length, 3);
    assert.equal(requestsTo('/v1/auth/login/otp').length, 1);
  });

  test('resend() inside the prompt honours the cooldown', async () => {
    const { value } = await run(async (m, config, { email, password }) => {
      const client = await m.createClient(config);
      let resendError;
      await client.loginWithOtp({ email, password }, {
        onOtpRequired: async ({ userId, resend }) => {
          try { await resend(); } catch (e) { resendError = { code: e.code, retryAfterMs: e.retryAfterMs }; }
          return (await (await fetch(`/__mock/otp?userId=${userId}`)).json()).code;
        },
      });
      return resendError;
    }, { email: USERS.ada, password: PASSWORD });
    assert.equal(value.code, 'resend_cooldown');
    assert.ok(value.retryAfterMs > 55000 && value.retryAfterMs <= 60000);
    assert.equal(requestsTo('/v1/auth/login/otp').length, 1);
  });

  test('a prompt that throws ends the flow with aborted', async () => {
    const { error } = await run(async (m, config, { email, password }) => {
      const client = await m.createClient(config);
      return client.loginWithOtp({ email, password }, {
        onOtpRequired: () => { throw new Error('user closed the dialog'); },
      });
    }, { email: USERS.ada, password: PASSWORD });
    assert.equal(error.isBaanxError, true);
    assert.equal(error.code, 'aborted');
    assert.equal(requestsTo('/v1/auth/login').length, 1);
  });

  test('aborting while the app is asked for the code rejects at once', async () => {
    const { value } = await run(async (m, config, { email, password }) => {
      const client = await m.createClient(config);
      const controller = new AbortController();
      const started = Date.now();
      const outcome = await client.loginWithOtp({ email, password }, {
        signal: controller.signal,
        onOtpRequired: () => {
          setTimeout(() => controller.abort(), 50);
          return new Promise(() => {}); // never answers
        },
      }).then(() => 'resolved', (e) => e.code);
      return { outcome, ms: Date.now() - started };
    }, { email: USERS.ada, password: PASSWORD });
    assert.equal(value.outcome, 'aborted');
    assert.ok(value.ms < 2000);
  });

  test('without onOtpRequired it rejects with invalid_argument before any request', async () => {
    const { error } = await run(async (m, config, { email, password }) => {
      const client = await m.createClient(config);
      return client.loginWithOtp({ email, password });
    }, { email: USERS.ada, password: PASSWORD });
    assert.equal(error.code, 'invalid_argument');
    assert.equal(error.field, 'onOtpRequired');
    assert.equal(apiRequests.length, 0);
  });
});

describe('double submit', () => {
  test('an identical call in flight shares its Promise and its one request', async () => {
    const { value } = await run(async (m, config, { email, password }) => {
      const client = await m.createClient(config);
      const a = client.login({ email, password });
      const b = client.login({ email, password });
      const [ra, rb] = await Promise.all([a, b]);
      return { same: a === b, status: ra.status, sameToken: ra.accessToken === rb.accessToken };
    }, { email: USERS.grace, password: PASSWORD });
    assert.deepEqual(value, { same: true, status: 'authenticated', sameToken: true });
    assert.equal(requestsTo('/v1/auth/login').length, 1);
  });

  test('identical sendOtp calls in flight send one code', async () => {
    const { value } = await run(async (m, config, { email, password }) => {
      const client = await m.createClient(config);
      const { userId } = await client.login({ email, password });
      const a = client.sendOtp({ userId });
      const b = client.sendOtp({ userId });
      await Promise.all([a, b]);
      return a === b;
    }, { email: USERS.ada, password: PASSWORD });
    assert.equal(value, true);
    assert.equal(requestsTo('/v1/auth/login/otp').length, 1);
  });

  test('identical sendOtp calls with different timeouts in flight still send one code', async () => {
    const { value } = await run(async (m, config, { email, password }) => {
      const client = await m.createClient(config);
      const { userId } = await client.login({ email, password });
      const first = client.sendOtp({ userId }, { timeoutMs: 5000 });
      const resend = client.sendOtp({ userId }, { timeoutMs: 9000 });
      return (await Promise.all([first, resend])).map((r) => r.success);
    }, { email: USERS.ada, password: PASSWORD });
    assert.deepEqual(value, [true, true]);
    assert.equal(requestsTo('/v1/auth/login/otp').length, 1);
  });

  test("one caller's abort rejects only its own Promise; the shared request goes on", async () => {
    const { value } = await run(async (m, config, { email, password }) => {
      const client = await m.createClient(config);
      const b = new AbortController();
      const first = client.login({ email, password });
      const second = client.login({ email, password }, { signal: b.signal });
      const plain = client.login({ email, password });
      b.abort();
      const settled = await Promise.allSettled([first, second, plain]);
      return {
        outcomes: settled.map((r) => r.value?.status ?? r.reason.code),
        shared: first === plain,
        own: second !== first,
        session: client.session !== null,
      };
    }, { email: USERS.grace, password: PASSWORD });
    assert.deepEqual(value, {
      outcomes: ['authenticated', 'aborted', 'authenticated'], shared: true, own: true, session: true,
    });
    assert.equal(requestsTo('/v1/auth/login').length, 1);
  });

  test('a flow aborted by its signal leaves a plain login that joined its request', async () => {
    const { value } = await run(async (m, config, { email, password }) => {
      const client = await m.createClient(config);
      const flowSignal = new AbortController();
      const flow = client.loginWithOtp({ email, password },
        { signal: flowSignal.signal, onOtpRequired: () => '000000' });
      const plain = client.login({ email, password });
      flowSignal.abort();
      const settled = await Promise.allSettled([flow, plain]);
      return settled.map((r) => r.value?.status ?? r.reason.code);
    }, { email: USERS.grace, password: PASSWORD });
    assert.deepEqual(value, ['aborted', 'authenticated']);
    assert.equal(requestsTo('/v1/auth/login').length, 1);
  });

  test('the request is cancelled once every caller sharing it has aborted', async () => {
    await mockHook(server, '/__mock/fault', { path: '/v1/auth/login', kind: 'delay', delayMs: 500 });
    const { value } = await run(async (m, config, { email, password }) => {
      const client = await m.createClient(config);
      const a = new AbortController();
      const b = new AbortController();
      const first = client.login({ email, password }, { signal: a.signal });
      const second = client.login({ email, password }, { signal: b.signal });
      a.abort();
      b.abort();
      const settled = await Promise.allSettled([first, second]);
      return { codes: settled.map((r) => r.reason?.code), session: client.session };
    }, { email: USERS.grace, password: PASSWORD });
    assert.deepEqual(value, { codes: ['aborted', 'aborted'], session: null });
  });

  test('many different calls at once each get their own answer', async () => {
    const { value } = await run(async (m, config, { users, password }) => {
      const client = await m.createClient(config);
      const calls = [];
      for (let i = 0; i < 5; i++) {
        calls.push(client.login({ email: users.grace, password }));
        calls.push(client.login({ email: users.linus, password }));
        calls.push(client.login({ email: users.mallory, password }));
        calls.push(client.login({ email: users.grace, password: `wrong-${i}` }));
        calls.push(client.login({ email: users.ada, password }, { timeoutMs: 10000 + i }));
      }
      const settled = await Promise.allSettled(calls);
      return settled.map((s) => (s.status === 'fulfilled' ? s.value.status : s.reason.code));
    }, { users: USERS, password: PASSWORD });
    const expected = [];
    for (let i = 0; i < 5; i++) {
      expected.push('authenticated', 'onboarding_required', 'account_disabled',
        'invalid_credentials', 'otp_required');
    }
    assert.deepEqual(value, expected);
  });
});

describe('cooldown, session and logout', () => {
  test('sendOtp reports resendAvailableAt and refuses inside the cooldown without sending', async () => {
    const { value } = await run(async (m, config, { email, password }) => {
      const client = await m.createClient({ ...config, resendCooldownMs: 5000 });
      const { userId } = await client.login({ email, password });
      const t0 = Date.now();
      const sent = await client.sendOtp({ userId });
      const refused = await client.sendOtp({ userId }).then(() => null, (e) => e);
      return {
        availableIn: sent.resendAvailableAt - t0,
        code: refused.code,
        retryAfterMs: refused.retryAfterMs,
        status: refused.status,
      };
    }, { email: USERS.ada, password: PASSWORD });
    assert.ok(value.availableIn >= 4900 && value.availableIn <= 5500);
    assert.equal(value.code, 'resend_cooldown');
    assert.equal(value.status, 0);
    assert.ok(value.retryAfterMs > 0 && value.retryAfterMs <= 5000);
    assert.equal(requestsTo('/v1/auth/login/otp').length, 1);
  });

  test('logout posts the bearer token, clears the session, and the token is dead', async () => {
    const { value } = await run(async (m, config, { email, password }) => {
      const client = await m.createClient(config);
      const { accessToken } = await client.login({ email, password });
      const result = await client.logout();
      const again = await client.logout();
      // Reuse the dead token directly: the mock must refuse it.
      const probe = await fetch('/v1/auth/logout', {
        method: 'POST',
        headers: { 'x-client-key': config.clientKey, Authorization: `Bearer ${accessToken}` },
      });
      return { result, again, session: client.session, probe: probe.status };
    }, { email: USERS.grace, password: PASSWORD });
    assert.equal(value.result, undefined);
    assert.equal(value.again, undefined);
    assert.equal(value.session, null);
    assert.equal(value.probe, 401);
    // The module's own request (an XMLHttpRequest, under emscripten_fetch), not the probe's fetch.
    const logouts = requestsTo('/v1/auth/logout').filter((r) => r.resourceType() === 'xhr');
    assert.equal(logouts.length, 1);
    assert.ok(/^Bearer US_/.test(logouts[0].headers().authorization));
  });

  test('logout without a session resolves without a request', async () => {
    const { value } = await run(async (m, config) => {
      const client = await m.createClient(config);
      return { result: await client.logout(), session: client.session };
    });
    assert.deepEqual(value, { result: undefined, session: null });
    assert.equal(apiRequests.length, 0);
  });

  test('the OTP-required token is never handed out', async () => {
    const { value } = await run(async (m, config, { email, password }) => {
      const client = await m.createClient(config);
      const result = await client.login({ email, password });
      return { json: JSON.stringify(result), session: client.session };
    }, { email: USERS.ada, password: PASSWORD });
    assert.equal(value.json.includes('US_'), false);
    assert.equal(value.session, null);
  });
});

describe('options of the wrong type', () => {
  test('a signal that is not an AbortSignal is refused before anything is sent', async () => {
    const { value } = await run(async (m, config, { email, password }) => {
      const client = await m.createClient(config);
      const codes = [];
      const before = (await m.memoryStats()).heapBytesInUse;
      for (const signal of [false, 0, {}, 'x', 1, [], { aborted: false }]) {
        for (const call of [
          () => client.login({ email, password }, { signal }),
          () => client.sendOtp({ userId: '1a3d97ad-3460-48dd-93e8-05b0c2061214' }, { signal }),
          () => client.loginWithOtp({ email, password }, { signal, onOtpRequired: () => '1' }),
          () => client.logout({ signal }),
        ]) {
          codes.push(await call().then(() => 'resolved', (e) => `${e.code}:${e.field}`));
        }
      }
      const after = (await m.memoryStats()).heapBytesInUse;
      return { codes: [...new Set(codes)], heapMoved: after - before, session: client.session };
    }, { email: USERS.grace, password: PASSWORD });
    assert.deepEqual(value, { codes: ['invalid_argument:signal'], heapMoved: 0, session: null });
    assert.equal(apiRequests.length, 0);
  });
});

describe('clients the page drops', () => {
  test('10,000 clients created and dropped leave the WASM heap where it was', async () => {
    const { value } = await run(async (m, config, extra, h) => {
      const inUse = async () => (await m.memoryStats()).heapBytesInUse;
      const collect = h.collectGarbage;
      await m.createClient(config);
      await collect();
      const before = await inUse();
      // In a function of its own, so that nothing of this frame holds the clients afterwards.
      const createMany = async () => {
        const held = [];
        for (let i = 0; i < 10000; i++) held.push(await m.createClient(config));
        return (await inUse()) - before;
      };
      const grew = await createMany();
      await collect();
      const after = await inUse();
      return { grew, left: after - before };
    });
    assert.ok(value.grew > 100000, `the clients took only ${value.grew} bytes: the test sees nothing`);
    assert.ok(value.left <= 1024, `${value.left} bytes left after the clients were dropped`);
  });
});

describe('memory', () => {
  test('the WASM heap stays flat over many mixed calls, aborts and timeouts', async () => {
    const { value, error } = await run(async (m, config, { users, password }) => {
      const client = await m.createClient({ ...config, resendCooldownMs: 0 });
      const round = async (n) => {
        for (let i = 0; i < n; i++) {
          const controller = new AbortController();
          const batch = [
            client.login({ email: users.grace, password }),
            client.login({ email: users.grace, password: 'wrong' }),
            client.login({ email: users.linus, password }),
            client.login({ email: 'bad', password }),
            client.login({ email: users.ada, password }, { signal: controller.signal }),
          ];
          controller.abort();
          await Promise.allSettled(batch);
          await client.login({ email: users.grace, password });
          await fetch('/__mock/fault', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ path: '/v1/auth/logout', kind: 'delay', delayMs: 100 }),
          });
          await client.logout({ timeoutMs: 20 }).catch(() => {}); // the delayed logout times out
        }
      };
      await round(30);
      const before = (await m.memoryStats()).heapBytesInUse;
      await round(150);
      const after = (await m.memoryStats()).heapBytesInUse;
      return { before, after };
    }, { users: USERS, password: PASSWORD });
    assert.equal(error, undefined, error && error.code);
    console.log(`heap in use: ${value.before} bytes before, ${value.after} after 1050 more calls`);
    assert.ok(Math.abs(value.after - value.before) <= 1024,
      `heap moved by ${value.after - value.before} bytes`);
  });
});
