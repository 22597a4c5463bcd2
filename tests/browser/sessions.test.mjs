// Sessions that outlive the page (js-api.md): the storage options, restoring a session after a real
// reload, bad stored values, storages that fail or are async, the session events, expiry, two tabs
// of one origin, what is stored, and the heap over many sign-ins. Pages are served from an empty
// web root of this suite's own, so that nothing but the test touches the origin's storage. Tokens
// are compared inside the page: only whether they matched comes back.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import {
  PASSWORD, USERS, launchBrowser, mockHook, runWithModule, startMockServer,
} from './harness.mjs';

const KEY = 'baanx-auth.session';  // the documented default storageKey
const SIX_HOURS_MS = 6 * 3600 * 1000;
const GRACE_ID = '5b7e0d0a-2b3c-4d5e-8f90-a1b2c3d4e5f6';

let server;
let browser;
let page;
let webRoot;

// Runs fn in the page and fails the test on a rejection (its code and message carry no secret).
async function inPage(fn, extra, onPage = page) {
  const { value, error } = await runWithModule(onPage, server, fn, extra);
  assert.equal(error, undefined, error && `${error.code}: ${error.message}`);
  return value;
}

const clearStorage = (onPage = page) => onPage.evaluate(() => {
  localStorage.clear();
  sessionStorage.clear();
});

before(async () => {
  webRoot = mkdtempSync(path.join(tmpdir(), 'baanx-sessions-'));
  writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>sessions</title>\n');
  server = await startMockServer({ webRoot });
  browser = await launchBrowser({ args: ['--js-flags=--expose-gc'] });  // window.gc()
  page = await browser.newPage();
  await page.goto(server.url);
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (webRoot) rmSync(webRoot, { recursive: true, force: true });
});

beforeEach(async () => {
  await mockHook(server, '/__mock/reset', {});
  await clearStorage();
});

describe('the storage options', () => {
  test('an unknown storage, or an object without its three functions, is refused', async () => {
    const value = await inPage(async (m, config) => {
      const outcomes = [];
      const noop = () => {};
      for (const storage of ['cookie', 'Local', 'localStorage', '', 42, true, [], {},
        { getItem: noop, setItem: noop },
        { getItem: noop, setItem: noop, removeItem: 'no' },
        { getItem: 1, setItem: noop, removeItem: noop }]) {
        outcomes.push(await m.createClient({ ...config, storage }).then(
          () => 'resolved', (e) => `${e instanceof m.BaanxError}:${e.code}:${e.field}`));
      }
      return [...new Set(outcomes)];
    });
    assert.deepEqual(value, ['true:invalid_argument:storage']);
  });

  test('a storageKey that is not a non-empty string is invalid_argument', async () => {
    const value = await inPage(async (m, config) => {
      const outcomes = [];
      for (const storageKey of ['', 42, {}, [], false]) {
        outcomes.push(await m.createClient({ ...config, storage: 'local', storageKey }).then(
          () => 'resolved', (e) => `${e.code}:${e.field}`));
      }
      return [...new Set(outcomes)];
    });
    assert.deepEqual(value, ['invalid_argument:storageKey']);
  });

  test('each documented storage is accepted', async () => {
    const value = await inPage(async (m, config) => {
      const store = { getItem: () => null, setItem: () => {}, removeItem: () => {} };
      const outcomes = [];
      for (const storage of [undefined, null, 'memory', 'session', 'local', store]) {
        outcomes.push(await m.createClient({ ...config, storage, storageKey: 'k' }).then(
          (client) => client.session, (e) => e.code));
      }
      return outcomes;
    });
    assert.deepEqual(value, [null, null, null, null, null, null]);
  });

  test('onSessionChange takes a function only', async () => {
    const value = await inPage(async (m, config) => {
      const client = await m.createClient(config);
      const outcomes = [];
      for (const listener of [undefined, null, 'f', {}]) {
        try {
          client.onSessionChange(listener);
          outcomes.push('accepted');
        } catch (e) {
          outcomes.push(`${e instanceof m.BaanxError}:${e.code}:${e.field}`);
        }
      }
      const unsubscribe = typeof client.onSessionChange(() => {});
      return { outcomes: [...new Set(outcomes)], unsubscribe };
    });
    assert.deepEqual(value,
      { outcomes: ['true:invalid_argument:listener'], unsubscribe: 'function' });
  });
});

describe('a session that survives a reload', () => {
  // Signs grace in with `storage` and describes the stored value, then reloads the page and
  // creates a client again: the session must come back as it was, and still work.
  async function signInReloadAndRestore(storage, storageKey) {
    const before = await inPage(async (m, config, { email, password, storage, storageKey }) => {
      const client = await m.createClient({ ...config, storage, storageKey });
      await client.login({ email, password });
      const area = storage === 'local' ? localStorage : sessionStorage;
      const stored = area.getItem(storageKey ?? 'baanx-auth.session');
      const record = JSON.parse(stored);
      sessionStorage.setItem('test:expected', JSON.stringify(client.session));
      return {
        keys: Object.keys(record),
        asSession: JSON.stringify(record) === JSON.stringify(client.session),
        textIsExact: stored === JSON.stringify(client.session),
        areaLength: area.length,
      };
    }, { email: USERS.grace, password: PASSWORD, storage, storageKey });
    assert.deepEqual(before, { keys: ['accessToken', 'userId', 'expiresAt'], asSession: true,
      textIsExact: true, areaLength: storage === 'session' ? 2 : 1 });

    await page.reload();
    return inPage(async (m, config, { storage, storageKey }) => {
      const expected = JSON.parse(sessionStorage.getItem('test:expected'));
      const client = await m.createClient({ ...config, storage, storageKey });
      const restored = client.session;
      const sameSession = JSON.stringify(restored) === JSON.stringify(expected);
      await client.logout();  // the mock server accepts the restored token, or this rejects
      const area = storage === 'local' ? localStorage : sessionStorage;
      return {
        sameSession,
        afterLogout: client.session,
        storedAfterLogout: area.getItem(storageKey ?? 'baanx-auth.session'),
      };
    }, { storage, storageKey });
  }

  test("with 'local', createClient resolves with the session restored", async () => {
    const value = await signInReloadAndRestore('local');
    assert.deepEqual(value, { sameSession: true, afterLogout: null, storedAfterLogout: null });
  });

  test("with 'session', the same within the tab", async () => {
    const value = await signInReloadAndRestore('session');
    assert.deepEqual(value, { sameSession: true, afterLogout: null, storedAfterLogout: null });
  });

  test('under the storageKey given', async () => {
    const value = await signInReloadAndRestore('local', 'my-app:session');
    assert.deepEqual(value, { sameSession: true, afterLogout: null, storedAfterLogout: null });
  });

  test("with 'memory' (the default), nothing is written and a reload signs out", async () => {
    const before = await inPage(async (m, config, { email, password }) => {
      const client = await m.createClient(config);
      const events = [];
      client.onSessionChange((session, event) => events.push(event));
      await client.login({ email, password });
      return { events, signedIn: client.session !== null, local: localStorage.length,
        session: sessionStorage.length };
    }, { email: USERS.grace, password: PASSWORD });
    assert.deepEqual(before, { events: ['signed_in'], signedIn: true, local: 0, session: 0 });
    await page.reload();
    const after = await inPage(async (m, config) => (await m.createClient(config)).session);
    assert.equal(after, null);
  });
});

// A record as this client would write it, ending `endsInMs` from now.
const recordEndingIn = (endsInMs) => ({
  accessToken: 'US_c0ffee00-1111-4222-8333-944445555666',
  userId: GRACE_ID,
  expiresAt: Date.now() + endsInMs,
});

// Each kind of value that must be removed and ignored, as the text left under the key.
const BAD_VALUES = {
  'not JSON': () => '{"accessToken":',
  'JSON but not an object': () => '["US_x"]',
  'JSON null': () => 'null',
  'a member of the wrong type': () => JSON.stringify({ ...recordEndingIn(60000), expiresAt: '1' }),
  'a member missing': () => JSON.stringify({ ...recordEndingIn(60000), userId: undefined }),
  'a member too many': () => JSON.stringify({ ...recordEndingIn(60000), password: PASSWORD }),
  'a token with a line break': () => JSON.stringify({ ...recordEndingIn(60000),
    accessToken: 'US_a\r\nx-injected: 1' }),
  'a token with a NUL': () => JSON.stringify({ ...recordEndingIn(60000),
    accessToken: 'US_a\u0000b' }),
  'a token with a Latin-1 letter': () => JSON.stringify({ ...recordEndingIn(60000),
    accessToken: 'US_\u00e9' }),
  'a token with a character beyond Latin-1': () => JSON.stringify({ ...recordEndingIn(60000),
    accessToken: 'US_\u2713' }),
  'an empty token': () => JSON.stringify({ ...recordEndingIn(60000), accessToken: '' }),
  'a userId that is not a UUID': () => JSON.stringify({ ...recordEndingIn(60000),
    userId: 'grace' }),
  'an expiresAt in the past': () => JSON.stringify(recordEndingIn(-1000)),
  'an expiresAt more than 6 h ahead': () => JSON.stringify(recordEndingIn(SIX_HOURS_MS + 60000)),
};

describe('what else is found under the key is removed and ignored', () => {
  // Leaves `stored` under the key, creates a client with 'local', and reports what it found.
  const restoreFrom = (stored) => inPage(async (m, config, { stored }) => {
    localStorage.setItem('baanx-auth.session', stored);
    localStorage.setItem('other-app', 'kept');
    const events = [];
    const client = await m.createClient({ ...config, storage: 'local' });
    client.onSessionChange((session, event) => events.push(event));
    await new Promise((resolve) => setTimeout(resolve, 50));
    return {
      session: client.session,
      stored: localStorage.getItem('baanx-auth.session'),
      other: localStorage.getItem('other-app'),
      events,
    };
  }, { stored });

  test('(a valid record is restored and kept: the check below can fail)', async () => {
    const stored = JSON.stringify(recordEndingIn(60000));
    const value = await restoreFrom(stored);
    assert.equal(value.stored, stored);
    assert.equal(value.session?.userId, GRACE_ID);
  });

  for (const [kind, make] of Object.entries(BAD_VALUES)) {
    test(kind, async () => {
      const value = await restoreFrom(make());
      assert.deepEqual(value, { session: null, stored: null, other: 'kept', events: [] });
    });
  }

  test('a value that is not a string, from a custom storage', async () => {
    const value = await inPage(async (m, config) => {
      const removed = [];
      const outcomes = [];
      for (const held of [42, { accessToken: 'US_x' }, true]) {
        const storage = {
          getItem: () => held,
          setItem: () => {},
          removeItem: (key) => removed.push(key),
        };
        outcomes.push((await m.createClient({ ...config, storage })).session);
      }
      return { outcomes, removed };
    });
    assert.deepEqual(value, { outcomes: [null, null, null], removed: Array(3).fill(KEY) });
  });
});

describe('storages that fail', () => {
  let own;  // a page of its own: these tests break its storage

  beforeEach(async () => {
    own = await browser.newPage();
    await own.goto(server.url);
  });

  afterEach(async () => {
    await own?.close();
  });

  // Creates a client with `storage` (made in the page by makeStorage), signs grace in and out,
  // and reports what the app saw.
  const signInAndOut = (makeStorage) => inPage(async (m, config, { email, password, source }) => {
    const storage = new Function(`return (${source})`)()();
    const client = await m.createClient({ ...config, storage });
    const events = [];
    client.onSessionChange((session, event) => events.push(event));
    const restored = client.session;
    const status = (await client.login({ email, password })).status;
    const signedIn = client.session !== null;
    await client.logout();
    return { restored, status, signedIn, events, after: client.session };
  }, { email: USERS.grace, password: PASSWORD, source: makeStorage.toString() }, own);

  const EXPECTED = {
    restored: null, status: 'authenticated', signedIn: true, events: ['signed_in', 'signed_out'],
    after: null,
  };

  test('a custom storage whose methods throw', async () => {
    const value = await signInAndOut(() => {
      const fail = () => {
        throw new Error('storage unavailable');
      };
      return { getItem: fail, setItem: fail, removeItem: fail };
    });
    assert.deepEqual(value, EXPECTED);
  });

  test('a custom storage whose methods reject', async () => {
    const value = await signInAndOut(() => {
      const fail = () => Promise.reject(new Error('storage unavailable'));
      return { getItem: fail, setItem: fail, removeItem: fail };
    });
    assert.deepEqual(value, EXPECTED);
  });

  test("'local' where reading localStorage itself throws (a sandboxed frame)", async () => {
    const value = await signInAndOut(() => {
      Object.defineProperty(window, 'localStorage', {
        get() {
          throw new DOMException('The document is sandboxed', 'SecurityError');
        },
      });
      return 'local';
    });
    assert.deepEqual(value, EXPECTED);
  });

  test("'local' whose setItem throws QuotaExceededError: the session lives in memory", async () => {
    const value = await signInAndOut(() => {
      Storage.prototype.setItem = () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
      return 'local';
    });
    assert.deepEqual(value, EXPECTED);
  });

  test("'local' whose getItem throws: createClient still resolves", async () => {
    const value = await signInAndOut(() => {
      Storage.prototype.getItem = () => {
        throw new DOMException('blocked', 'SecurityError');
      };
      return 'local';
    });
    assert.deepEqual(value, EXPECTED);
  });
});

describe('a custom storage whose methods are async', () => {
  // A Map behind methods that answer after a few ms, logging each call.
  const makeAsyncStore = () => {
    const items = new Map();
    const calls = [];
    const later = (fn) => new Promise((resolve) => setTimeout(() => resolve(fn()), 5));
    return {
      items,
      calls,
      getItem: (key) => later(() => (calls.push('get'), items.has(key) ? items.get(key) : null)),
      setItem: (key, value) => later(() => (calls.push('set'), items.set(key, value))),
      removeItem: (key) => later(() => (calls.push('remove'), items.delete(key))),
    };
  };

  test('restores what an earlier client stored, and removes it on logout', async () => {
    const value = await inPage(async (m, config, { email, password, source }) => {
      const store = new Function(`return (${source})`)()();
      const first = await m.createClient({ ...config, storage: store });
      await first.login({ email, password });
      await new Promise((resolve) => setTimeout(resolve, 50));  // the write is async
      const written = store.items.get('baanx-auth.session');
      const second = await m.createClient({ ...config, storage: store });
      const restored = JSON.stringify(second.session) === JSON.stringify(first.session) &&
        written === JSON.stringify(first.session);
      await second.logout();
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { restored, left: store.items.size, calls: store.calls };
    }, { email: USERS.grace, password: PASSWORD, source: makeAsyncStore.toString() });
    assert.deepEqual(value, { restored: true, left: 0,
      calls: ['get', 'set', 'get', 'remove'] });
  });

  test('writes land in the order of the changes', async () => {
    const value = await inPage(async (m, config, { email, password, source }) => {
      const store = new Function(`return (${source})`)()();
      const client = await m.createClient({ ...config, storage: store });
      for (let i = 0; i < 3; i++) {
        await client.login({ email, password });
        await client.logout();
      }
      await client.login({ email, password });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const last = store.items.get('baanx-auth.session');
      return { lastIsTheSession: last === JSON.stringify(client.session), calls: store.calls };
    }, { email: USERS.grace, password: PASSWORD, source: makeAsyncStore.toString() });
    assert.deepEqual(value, { lastIsTheSession: true,
      calls: ['get', 'set', 'remove', 'set', 'remove', 'set', 'remove', 'set'] });
  });

  test('a bad value it holds is removed', async () => {
    const value = await inPage(async (m, config, { source }) => {
      const store = new Function(`return (${source})`)()();
      store.items.set('baanx-auth.session', 'not json');
      const client = await m.createClient({ ...config, storage: store });
      return { session: client.session, left: store.items.size, calls: store.calls };
    }, { source: makeAsyncStore.toString() });
    assert.deepEqual(value, { session: null, left: 0, calls: ['get', 'remove'] });
  });
});

describe('session events', () => {
  test("'signed_in' after an authenticated login, before login's Promise resolves", async () => {
    const value = await inPage(async (m, config, { email, password }) => {
      const client = await m.createClient({ ...config, storage: 'local' });
      const log = [];
      client.onSessionChange((session, event) => {
        log.push({
          event,
          sessionIsTheClients: JSON.stringify(session) === JSON.stringify(client.session),
          stored: localStorage.getItem('baanx-auth.session') === JSON.stringify(session),
        });
      });
      await client.login({ email, password });
      log.push('login resolved');
      return log;
    }, { email: USERS.grace, password: PASSWORD });
    assert.deepEqual(value, [
      { event: 'signed_in', sessionIsTheClients: true, stored: true }, 'login resolved',
    ]);
  });

  test('no event for a login that does not authenticate; one for loginWithOtp', async () => {
    const value = await inPage(async (m, config, { users, password }) => {
      const client = await m.createClient(config);
      const events = [];
      client.onSessionChange((session, event) => events.push(`${event}:${session?.userId}`));
      await client.login({ email: users.ada, password });       // otp_required
      await client.login({ email: users.linus, password });     // onboarding_required
      await client.login({ email: users.grace, password: 'x' }).catch(() => {});
      const before = events.length;
      const result = await client.loginWithOtp({ email: users.ada, password }, {
        onOtpRequired: async ({ userId }) =>
          (await (await fetch(`/__mock/otp?userId=${userId}`)).json()).code,
      });
      return { before, events, userId: result.userId };
    }, { users: USERS, password: PASSWORD });
    assert.equal(value.before, 0);
    assert.deepEqual(value.events, [`signed_in:${value.userId}`]);
  });

  test("'signed_out' on logout at once, before the server answers", async () => {
    await mockHook(server, '/__mock/fault',
      { path: '/v1/auth/logout', kind: 'delay', delayMs: 1500, times: 1 });
    const value = await inPage(async (m, config, { email, password }) => {
      const client = await m.createClient({ ...config, storage: 'local' });
      await client.login({ email, password });
      let settled = false;
      const heard = new Promise((resolve) => {
        client.onSessionChange((session, event) => resolve({
          event,
          session,
          settled,
          clientSession: client.session,
          stored: localStorage.getItem('baanx-auth.session'),
        }));
      });
      const started = performance.now();
      const logout = client.logout().finally(() => {
        settled = true;
      });
      const event = await heard;
      const heardAfterMs = performance.now() - started;
      await logout;
      return { ...event, fast: heardAfterMs < 500 };
    }, { email: USERS.grace, password: PASSWORD });
    assert.deepEqual(value, { event: 'signed_out', session: null, settled: false,
      clientSession: null, stored: null, fast: true });
  });

  test("a logout the server refuses still signs out, once", async () => {
    await mockHook(server, '/__mock/fault',
      { path: '/v1/auth/logout', kind: 'status', status: 503, times: 1 });
    const value = await inPage(async (m, config, { email, password }) => {
      const client = await m.createClient({ ...config, storage: 'local' });
      const events = [];
      client.onSessionChange((session, event) => events.push(event));
      await client.login({ email, password });
      const code = await client.logout().then(() => 'resolved', (e) => e.code);
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { code, events, stored: localStorage.getItem('baanx-auth.session') };
    }, { email: USERS.grace, password: PASSWORD });
    assert.deepEqual(value, { code: 'server_error', events: ['signed_in', 'signed_out'],
      stored: null });
  });

  test('a listener that throws stops neither the others nor the client', async () => {
    const value = await inPage(async (m, config, { email, password }) => {
      const reported = [];
      window.addEventListener('error', (event) => {
        reported.push(event.error?.message);
        event.preventDefault();
      });
      const client = await m.createClient({ ...config, storage: 'local' });
      const heard = [];
      client.onSessionChange(() => {
        throw new Error('listener failed');
      });
      client.onSessionChange((session, event) => heard.push(event));
      await client.login({ email, password });
      await client.logout();
      const status = (await client.login({ email, password })).status;
      const stored = localStorage.getItem('baanx-auth.session') !== null;
      return { heard, reported, status, stored };
    }, { email: USERS.grace, password: PASSWORD });
    assert.deepEqual(value, {
      heard: ['signed_in', 'signed_out', 'signed_in'],
      reported: ['listener failed', 'listener failed', 'listener failed'],
      status: 'authenticated',
      stored: true,
    });
  });

  test('unsubscribing works, also from inside a callback', async () => {
    const value = await inPage(async (m, config, { email, password }) => {
      const client = await m.createClient(config);
      const heard = [];
      let unsubscribeB;
      const unsubscribeA = client.onSessionChange((session, event) => {
        heard.push(`A:${event}`);
        unsubscribeA();  // itself
        unsubscribeB();  // a listener still to be called for this very change
      });
      unsubscribeB = client.onSessionChange((session, event) => heard.push(`B:${event}`));
      const unsubscribeC = client.onSessionChange((session, event) => heard.push(`C:${event}`));
      const D = (session, event) => heard.push(`D:${event}`);
      client.onSessionChange(D);
      const unsubscribeD2 = client.onSessionChange(D);  // the same function, subscribed twice
      await client.login({ email, password });
      unsubscribeC();
      unsubscribeD2();
      unsubscribeD2();  // twice is harmless
      await client.logout();
      return heard;
    }, { email: USERS.grace, password: PASSWORD });
    assert.deepEqual(value, ['A:signed_in', 'C:signed_in', 'D:signed_in', 'D:signed_in',
      'D:signed_out']);
  });
});

describe('expiry', () => {
  test("a restored session near its end: 'expired' by a timer at expiresAt", async () => {
    const value = await inPage(async (m, config, { userId }) => {
      const expiresAt = Date.now() + 1500;
      const record = { accessToken: 'US_c0ffee00-1111-4222-8333-944445555666', userId, expiresAt };
      localStorage.setItem('baanx-auth.session', JSON.stringify(record));
      const client = await m.createClient({ ...config, storage: 'local' });
      const restored = client.session?.expiresAt === expiresAt;
      const event = await new Promise((resolve) => {
        client.onSessionChange((session, name) => resolve({
          name, session, at: Date.now(), stored: localStorage.getItem('baanx-auth.session'),
        }));
      });
      return { restored, event: event.name, session: event.session, stored: event.stored,
        notEarly: event.at >= expiresAt, lateByMs: event.at - expiresAt, after: client.session };
    }, { userId: GRACE_ID });
    assert.equal(value.notEarly, true, `fired ${-value.lateByMs} ms early`);
    assert.ok(value.lateByMs < 1000, `fired ${value.lateByMs} ms late`);
    delete value.lateByMs;
    assert.deepEqual(value, { restored: true, event: 'expired', session: null, stored: null,
      notEarly: true, after: null });
  });

  test('client.session is null from expiresAt on, even while the timer is late', async () => {
    const value = await inPage(async (m, config, { userId }) => {
      const expiresAt = Date.now() + 500;
      const record = { accessToken: 'US_c0ffee00-1111-4222-8333-944445555666', userId, expiresAt };
      localStorage.setItem('baanx-auth.session', JSON.stringify(record));
      const client = await m.createClient({ ...config, storage: 'local' });
      const events = [];
      const expired = new Promise((resolve) => {
        client.onSessionChange((session, event) => resolve(events.push(event)));
      });
      const before = client.session === null ? null : 'live';
      // The page is busy past expiresAt (as a sleeping laptop would be): the timer cannot run.
      while (Date.now() < expiresAt + 200) {
        // busy
      }
      const late = {
        session: client.session,
        events: [...events],
        stored: localStorage.getItem('baanx-auth.session') === null ? null : 'stored',
      };
      await expired;
      return { before, late, events, stored: localStorage.getItem('baanx-auth.session') };
    }, { userId: GRACE_ID });
    assert.deepEqual(value, {
      before: 'live',
      late: { session: null, events: [], stored: 'stored' },
      events: ['expired'],
      stored: null,
    });
  });
});

describe('two pages of one origin', () => {
  test("with 'local', each follows the other's sign-in and sign-out", async () => {
    const other = await browser.newPage();
    try {
      await other.goto(server.url);
      const open = (onPage) => inPage(async (m, config) => {
        window.client = await m.createClient({ ...config, storage: 'local' });
        window.events = [];
        window.client.onSessionChange((session, event) => {
          window.events.push(`${event}:${session === null ? null : session.userId}`);
        });
      }, {}, onPage);
      await open(page);
      await open(other);
      const signIn = (onPage) => inPage(async (m, config, { email, password }) =>
        (await window.client.login({ email, password })).userId,
      { email: USERS.grace, password: PASSWORD }, onPage);
      const signOut = (onPage) => inPage(() => window.client.logout(), {}, onPage);
      const eventsOf = async (onPage, count) => {
        await onPage.waitForFunction((n) => window.events.length >= n, count, { timeout: 5000 });
        return onPage.evaluate(() => window.events);
      };
      const sameSession = () => Promise.all([page, other].map((p) =>
        p.evaluate(() => JSON.stringify(window.client.session))))
        .then(([a, b]) => a === b);

      const userId = await signIn(page);
      assert.deepEqual(await eventsOf(other, 1), [`signed_in:${userId}`]);
      assert.equal(await sameSession(), true);

      await signOut(page);
      assert.deepEqual(await eventsOf(other, 2), [`signed_in:${userId}`, 'signed_out:null']);
      assert.equal(await other.evaluate(() => window.client.session), null);

      await signIn(other);
      assert.deepEqual(await eventsOf(page, 3),
        [`signed_in:${userId}`, 'signed_out:null', `signed_in:${userId}`]);
      assert.equal(await sameSession(), true);

      await signOut(other);
      assert.deepEqual(await eventsOf(page, 4),
        [`signed_in:${userId}`, 'signed_out:null', `signed_in:${userId}`, 'signed_out:null']);
      assert.equal(await page.evaluate(() => window.client.session), null);
      // Each page heard the other's changes once, and its own once: nothing echoed back.
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal((await page.evaluate(() => window.events)).length, 4);
      assert.equal((await other.evaluate(() => window.events)).length, 4);
    } finally {
      await other.close();
    }
  });

  test("with 'session' or 'memory', another page's changes are not followed", async () => {
    const other = await browser.newPage();
    try {
      await other.goto(server.url);
      const open = (onPage, storage) => inPage(async (m, config, { storage }) => {
        window.client = await m.createClient({ ...config, storage });
        window.events = [];
        window.client.onSessionChange((session, event) => window.events.push(event));
      }, { storage }, onPage);
      await open(page, 'local');
      await open(other, 'session');
      await inPage(async (m, config, { email, password }) => {
        await window.client.login({ email, password });
      }, { email: USERS.grace, password: PASSWORD });
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(await other.evaluate(() => window.events), []);
    } finally {
      await other.close();
    }
  });
});

describe('what is stored', () => {
  test('never the password, the code or the client key', async () => {
    await inPage(() => {
      window.written = [];
      window.codes = [];
    });
    for (const storage of ['local', 'session', 'custom']) {
      await mockHook(server, '/__mock/reset', {});  // the mock's own resend limit
      await inPage(async (m, config, { email, password, storage }) => {
        const custom = {
          getItem: () => null,
          setItem: (key, text) => window.written.push(key, text),
          removeItem: () => {},
        };
        const client =
          await m.createClient({ ...config, storage: storage === 'custom' ? custom : storage });
        await client.loginWithOtp({ email, password }, {
          onOtpRequired: async ({ userId }) => {
            const { code } = await (await fetch(`/__mock/otp?userId=${userId}`)).json();
            window.codes.push(code);
            return code;
          },
        });
      }, { email: USERS.ada, password: PASSWORD, storage });
    }
    const value = await inPage(async (m, config, { password }) => {
      const everything = [...window.written];
      for (const area of [localStorage, sessionStorage]) {
        for (let i = 0; i < area.length; i++) {
          everything.push(area.key(i), area.getItem(area.key(i)));
        }
      }
      const text = everything.join('\n');
      return {
        entries: everything.length,
        password: text.includes(password),
        codesSent: window.codes.filter((code) => /^\d{6}$/.test(code)).length,
        code: window.codes.some((code) => text.includes(code)),
        clientKey: text.includes(config.clientKey),
        shapes: [...new Set(everything.filter((_, i) => i % 2 === 1)
          .map((stored) => Object.keys(JSON.parse(stored)).join(',')))],
      };
    }, { password: PASSWORD });
    assert.deepEqual(value, { entries: 6, password: false, codesSent: 3, code: false,
      clientKey: false, shapes: ['accessToken,userId,expiresAt'] });
  });
});

describe('memory', () => {
  let own;  // a page of its own: a module instance with no client of the other tests in its heap

  beforeEach(async () => {
    own = await browser.newPage();
    await own.goto(server.url);
  });

  afterEach(async () => {
    await own?.close();
  });

  test('the WASM heap stays flat over 2000 sign-ins and sign-outs with events', async () => {
    const value = await inPage(async (m, config, { email, password }) => {
      const client = await m.createClient({ ...config, storage: 'local' });
      let events = 0;
      client.onSessionChange(() => {
        events++;
      });
      const cycle = async (n) => {
        for (let i = 0; i < n; i++) {
          await client.login({ email, password });
          await client.logout();
        }
      };
      await cycle(100);
      const before = (await m.memoryStats()).heapBytesInUse;
      await cycle(2000);
      const after = (await m.memoryStats()).heapBytesInUse;
      return { before, after, events, stored: localStorage.length };
    }, { email: USERS.grace, password: PASSWORD }, own);
    console.log(`heap in use: ${value.before} bytes before, ${value.after} after 2000 cycles`);
    assert.equal(value.events, 2 * 2100);
    assert.equal(value.stored, 0);
    assert.ok(Math.abs(value.after - value.before) <= 1024,
      `heap moved by ${value.after - value.before} bytes`);
  });

  test("clients with 'local' storage that the page drops are still freed", async () => {
    const value = await inPage(async (m, config, extra, h) => {
      const inUse = async () => (await m.memoryStats()).heapBytesInUse;
      const collect = h.collectGarbage;
      localStorage.setItem('baanx-auth.session', JSON.stringify({
        accessToken: 'US_c0ffee00-1111-4222-8333-944445555666',
        userId: '5b7e0d0a-2b3c-4d5e-8f90-a1b2c3d4e5f6',
        expiresAt: Date.now() + 3600000,
      }));
      await collect();
      const before = await inUse();
      const createMany = async () => {
        const held = [];
        for (let i = 0; i < 5000; i++) {
          const client = await m.createClient({ ...config, storage: 'local' });
          client.onSessionChange(() => {});
          held.push(client);
        }
        return { grew: (await inUse()) - before, restored: held.every((c) => c.session !== null) };
      };
      const { grew, restored } = await createMany();
      await collect();
      return { grew, restored, left: (await inUse()) - before };
    }, {}, own);
    assert.equal(value.restored, true);
    assert.ok(value.grew > 100000,
      `the clients took only ${value.grew} bytes: the test sees nothing`);
    assert.ok(value.left <= 1024, `${value.left} bytes left after the clients were dropped`);
  });
});
