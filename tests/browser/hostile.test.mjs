// Hostile answers and heavy use: bodies a broken or malicious server could send must give a typed
// error or a correct result, never kill the WASM instance (later calls must still work); and the
// heap must stay flat over 10,000 mixed calls.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, test } from 'node:test';
import { CLIENT_KEY, PASSWORD, USERS, useBrowserSuite } from './harness.mjs';

const suite = useBrowserSuite();

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Retry-After',
  'Content-Type': 'application/json',
};
const USER_ID = '1a3d97ad-3460-48dd-93e8-05b0c2061214';

function loginBody(extra = {}) {
  return JSON.stringify({
    accessToken: 'US_00000000-0000-4000-8000-000000000000', userId: USER_ID, isOtpRequired: false,
    phoneNumber: null, phase: null, verificationState: 'VERIFIED', isLinked: false, ...extra,
  });
}

// Answers the next login with `body` (a string or Buffer), then runs a login and a normal login
// after it: returns what each gave. Fails when the hostile body was not the one answered.
async function loginAgainst(body, status = 200) {
  let served = 0;
  await suite.page.route('**/v1/auth/login', (route) => {
    served += 1;
    return route.fulfill({ status, headers: CORS, body });
  }, { times: 1 });
  const outcome = await suite.page.evaluate(async ({ base, key, email, password }) => {
    const m = await import('/baanx-auth.mjs');
    const client = await m.createClient({ baseUrl: base, clientKey: key });
    const describe = (p) => p.then((r) => `ok:${r.status}`, (e) =>
      (e instanceof m.BaanxError ? `error:${e.code}` : `foreign:${e}`));
    let message;
    const hostile = await describe(client.login({ email, password }).catch((e) => {
      message = e.message;
      throw e;
    }));
    const after = await describe(client.login({ email, password }));
    return { hostile, after, message };
  }, { base: suite.server.url, key: CLIENT_KEY, email: USERS.grace, password: PASSWORD });
  assert.equal(served, 1, 'the hostile body was never served');
  return outcome;
}

describe('hostile bodies', () => {
  test('a body up to 1 MiB is read; a longer one is invalid_response, named as such', async () => {
    const under = await loginAgainst(loginBody({ padding: 'x'.repeat(1000 * 1000) }));
    assert.equal(under.hostile, 'ok:authenticated');
    const over = await loginAgainst(loginBody({ padding: 'x'.repeat(5 * 1024 * 1024) }));
    assert.equal(over.hostile, 'error:invalid_response');
    assert.equal(over.after, 'ok:authenticated');
    assert.match(over.message, /longer than 1048576 bytes/);
  });

  test('an 8 MB body that is not JSON is invalid_response', async () => {
    const { hostile, after } = await loginAgainst('<'.repeat(8 * 1024 * 1024));
    assert.equal(hostile, 'error:invalid_response');
    assert.equal(after, 'ok:authenticated');
  });

  test('200,000 levels of nesting are invalid_response, and the module lives on', async () => {
    const depth = 200000;
    const { hostile, after } = await loginAgainst('['.repeat(depth) + ']'.repeat(depth));
    assert.equal(hostile, 'error:invalid_response');
    assert.equal(after, 'ok:authenticated');
  });

  test('200,000 levels of objects inside a valid login body are tolerated', async () => {
    const depth = 200000;
    const deep = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    const body = loginBody().replace('"isLinked":false', `"isLinked":false,"deep":${deep}`);
    const { hostile, after } = await loginAgainst(body);
    assert.ok(['ok:authenticated', 'error:invalid_response'].includes(hostile), hostile);
    assert.equal(after, 'ok:authenticated');
  });

  test('invalid UTF-8 is invalid_response', async () => {
    const body = Buffer.concat([Buffer.from('{"accessToken":"US_\xff'), Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from(loginBody().slice(20))]);
    const { hostile, after } = await loginAgainst(body);
    assert.equal(hostile, 'error:invalid_response');
    assert.equal(after, 'ok:authenticated');
  });

  test('NUL bytes in and around the JSON are invalid_response', async () => {
    const body = Buffer.concat([Buffer.from(loginBody()), Buffer.from([0, 0, 0])]);
    const { hostile, after } = await loginAgainst(body);
    assert.equal(hostile, 'error:invalid_response');
    assert.equal(after, 'ok:authenticated');
  });

  test('numbers out of range are invalid_response or ignored, never a crash', async () => {
    for (const number of ['1e999', '-1e999', '123456789012345678901234567890', '0.0000001e-400']) {
      const body = loginBody().replace('"isLinked":false', `"isLinked":false,"n":${number}`);
      const { hostile, after } = await loginAgainst(body);
      assert.ok(['ok:authenticated', 'error:invalid_response'].includes(hostile), hostile);
      assert.equal(after, 'ok:authenticated');
    }
    const { hostile } = await loginAgainst(loginBody().replace('"isLinked":false', '"isLinked":1e999'));
    assert.equal(hostile, 'error:invalid_response');
  });

  test('duplicate keys resolve one way, and a token never escapes an OTP answer', async () => {
    // The last duplicate wins: an OTP-required answer that first says false stays OTP-required.
    const body = loginBody({ phoneNumber: '+445*****225' })
      .replace('"isOtpRequired":false', '"isOtpRequired":false,"isOtpRequired":true');
    const { hostile, after } = await loginAgainst(body);
    assert.equal(hostile, 'ok:otp_required');
    assert.equal(after, 'ok:authenticated');
  });

  test('a huge error message is cut to a readable length', async () => {
    await suite.page.route('**/v1/auth/login', (route) => route.fulfill({
      status: 401, headers: CORS, body: JSON.stringify({ message: 'm'.repeat(1000 * 1000) }),
    }), { times: 1 });
    const length = await suite.page.evaluate(async ({ base, key, email }) => {
      const m = await import('/baanx-auth.mjs');
      const client = await m.createClient({ baseUrl: base, clientKey: key });
      return client.login({ email, password: 'x' }).then(() => -1, (e) => e.message.length);
    }, { base: suite.server.url, key: CLIENT_KEY, email: USERS.grace });
    assert.ok(length > 0 && length <= 303, `message length ${length}`);
  });
});

// emscripten_fetch runs on XMLHttpRequest, which follows redirects by itself: 307 and 308 repeat
// the POST with its body; 301, 302 and 303 turn it into a GET without one. A redirect to an origin
// that does not allow this page (CORS) ends as a network failure.
describe('redirects and CORS', () => {
  async function loginThroughRedirect(status, location) {
    await suite.page.route('**/v1/auth/login', (route) => route.fulfill({
      status, headers: { ...CORS, Location: location }, body: '',
    }), { times: 1 });
    return suite.page.evaluate(async ({ base, key, email, password }) => {
      const m = await import('/baanx-auth.mjs');
      const client = await m.createClient({ baseUrl: base, clientKey: key });
      return client.login({ email, password }).then((r) => `ok:${r.status}`,
        (e) => `error:${e.code}:${e.status}`);
    }, { base: suite.server.url, key: CLIENT_KEY, email: USERS.grace, password: PASSWORD });
  }

  test('307 and 308 are followed with the same POST and body', async () => {
    for (const status of [307, 308]) {
      // The mock's own login, under a query the route above does not match.
      const outcome = await loginThroughRedirect(status, `${suite.server.url}v1/auth/login?moved=1`);
      assert.equal(outcome, 'ok:authenticated', `after ${status}`);
    }
  });

  test('302 and 303 become a GET, which the API refuses with a typed error', async () => {
    for (const status of [302, 303]) {
      const outcome = await loginThroughRedirect(status, `${suite.server.url}v1/auth/login?moved=1`);
      assert.match(outcome, /^error:(invalid_credentials|http_error):4\d\d$/, `after ${status}`);
    }
  });

  test('a redirect to an origin that does not allow the page is a network error', async () => {
    // Another server on loopback, whose answers carry no CORS headers.
    let reached = 0;
    const elsewhere = createServer((request, response) => {
      reached += 1;
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(loginBody());
    });
    await new Promise((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    try {
      const outcome = await loginThroughRedirect(307,
        `http://127.0.0.1:${elsewhere.address().port}/v1/auth/login`);
      assert.ok(reached >= 1, 'the redirect was not followed');
      assert.equal(outcome, 'error:network:0');
    } finally {
      elsewhere.close();
    }
  });
});

describe('heavy use', () => {
  test('10,000 mixed calls leave the WASM heap where it was', async () => {
    // A page of its own: clients the earlier tests dropped would be freed at the collector's
    // pace, in the middle of the measurement.
    const page = await suite.browser.newPage();
    await page.goto(suite.server.url);
    const result = await page.evaluate(async ({ base, key, users, password }) => {
      const m = await import('/baanx-auth.mjs');
      const client = await m.createClient({ baseUrl: base, clientKey: key });
      const counts = {};
      const note = (p) => p.then((r) => r?.status ?? 'ok', (e) => e.code)
        .then((k) => { counts[k] = (counts[k] ?? 0) + 1; });
      let calls = 0;
      // One batch is 10 calls: successes, errors, bad input, aborts and a timeout.
      const batch = async (i) => {
        const aborted = new AbortController();
        aborted.abort();
        const midFlight = new AbortController();
        const work = [
          note(client.login({ email: users.grace, password })),
          note(client.login({ email: users.linus, password })),
          note(client.login({ email: users.ada, password })),
          note(client.login({ email: users.mallory, password })),
          note(client.login({ email: users.grace, password: `wrong-${i}` })),
          note(client.login({ email: 'not-an-address', password })),
          note(client.sendOtp({ userId: 'not-a-uuid' })),
          note(client.login({ email: users.grace, password }, { signal: aborted.signal })),
          note(client.login({ email: users.ada, password, otpCode: '000000' },
            { signal: midFlight.signal })),
        ];
        midFlight.abort();
        await Promise.all(work);
        // Every 10th batch adds a real timeout: the mock delays that logout past 20 ms.
        if (i % 10 === 0) {
          await fetch('/__mock/fault', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ path: '/v1/auth/logout', kind: 'delay', delayMs: 100 }),
          });
        }
        await note(client.logout({ timeoutMs: i % 10 === 0 ? 20 : 15000 }));
        calls += 10;
      };
      for (let i = 0; i < 100; i++) await batch(i);
      const afterHundred = (await m.memoryStats()).heapBytesInUse;
      const start = Date.now();
      for (let i = 100; i < 1000; i++) await batch(i);
      const afterAll = await m.memoryStats();
      return { calls, afterHundred, afterAll, counts, ms: Date.now() - start };
    }, { base: suite.server.url, key: CLIENT_KEY, users: USERS, password: PASSWORD });
    await page.close();
    console.log(`heap in use after 1,000 calls: ${result.afterHundred} B; after ${result.calls} calls: ` +
      `${result.afterAll.heapBytesInUse} B (heap ${result.afterAll.heapBytesTotal} B); ` +
      `outcomes ${JSON.stringify(result.counts)}; ${result.ms} ms for the last 9,000`);
    assert.equal(result.calls, 10000);
    assert.ok(result.counts.timeout >= 1 && result.counts.aborted >= 1 && result.counts.authenticated >= 1);
    assert.ok(Math.abs(result.afterAll.heapBytesInUse - result.afterHundred) <= 1024,
      `heap moved by ${result.afterAll.heapBytesInUse - result.afterHundred} bytes`);
  });
});
