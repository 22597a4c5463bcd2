// Shared by the browser suites: starts the real mock server (test mode, ephemeral port) and a
// headless Debian Chromium driven by playwright-core, runs code in a page against the real module,
// and sets a suite up. Never downloads a browser.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, beforeEach } from 'node:test';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

export const CLIENT_KEY = 'demo-client-key';
export const PASSWORD = 'Demo-Passw0rd!';
export const USERS = {
  grace: 'grace@example.com',
  ada: 'ada@example.com',
  linus: 'linus@example.com',
  mallory: 'mallory@example.com',
};

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Starts baanx-mock-server; resolves to { url, port, stop }. webRoot and moduleDir default to the
 * demo page and the built module; moduleDir: null serves no module (/baanx-auth.mjs answers 404).
 */
export async function startMockServer({
  testMode = true,
  extraArgs = [],
  webRoot = process.env.BAANX_WEB_ROOT ?? path.join(root, 'web'),
  moduleDir = process.env.BAANX_MODULE_DIR ?? path.join(root, 'build/wasm/module'),
} = {}) {
  const binary = process.env.BAANX_MOCK_SERVER ?? path.join(root, 'build/native/bin/baanx-mock-server');
  const args = ['--port', '0', '--web-root', webRoot];
  if (moduleDir !== null) args.push('--module-dir', moduleDir);
  args.push(...extraArgs);
  if (testMode) args.push('--test-mode');
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  // The server's log goes to this test's output too, where toolchain/test looks for leaked secrets.
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    process.stderr.write(chunk);
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('mock server did not start in 10 s')), 10000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mock server exited with ${code}`));
    });
  });
  const port = Number(new URL(url).port);
  return {
    url,
    port,
    logs: () => stderr,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

/**
 * Launches headless Chromium with a fresh profile, with `args` added to the usual flags; resolves
 * to { context, newPage, close }.
 */
export async function launchBrowser({ args = [] } = {}) {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'baanx-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, ...args],
  });
  const consoleErrors = [];
  return {
    context,
    consoleErrors,
    async newPage() {
      const page = await context.newPage();
      page.on('console', (message) => {
        // Chromium logs every non-2xx answer as "Failed to load resource"; for the API those are
        // expected results (401 for a wrong password), not faults of the page.
        const apiStatus = message.text().startsWith('Failed to load resource') &&
          message.location().url.includes('/v1/auth/');
        if (message.type() === 'error' && !apiStatus) consoleErrors.push(message.text());
      });
      page.on('pageerror', (error) => consoleErrors.push(String(error)));
      return page;
    },
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** POSTs JSON to one of the mock's test hooks from Node. */
export async function mockHook(server, hookPath, body, method = 'POST') {
  const response = await fetch(new URL(hookPath, server.url), {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${hookPath} answered ${response.status}`);
  return response.json().catch(() => ({}));
}

// The helpers every page-side function gets as `h`. Shipped to the page as source, so they use
// nothing from this file.
function pageProbe(m) {
  const h = { errors: [], secrets: [] };
  // What a test needs to know of a thrown value, as plain data.
  h.describe = (e) => ({
    isBaanxError: e instanceof m.BaanxError,
    isError: e instanceof Error,
    name: e && e.name,
    constructorName: e && e.constructor && e.constructor.name,
    code: e && e.code,
    status: e && e.status,
    message: e && e.message,
    field: e && e.field,
    hasField: !!e && typeof e === 'object' && 'field' in e,
    retryAfterMs: e && e.retryAfterMs,
    hasRetryAfterMs: !!e && typeof e === 'object' && 'retryAfterMs' in e,
    stack: String(e && e.stack),
  });
  h.sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  // Calls thunk (which must return a Promise) and waits for it to settle, at most withinMs.
  // Resolves to { value } | { error } | { pending: true }, with how often and when it settled.
  h.capture = async (thunk, withinMs = 8000) => {
    const t0 = performance.now();
    let promise;
    try {
      promise = thunk();
    } catch (e) {
      const error = h.describe(e);
      h.errors.push(error);
      return { error, syncThrow: true, settled: 1, elapsedMs: 0 };
    }
    if (!(promise instanceof Promise)) return { notAPromise: true };
    let settled = 0;
    let outcome;
    const done = new Promise((resolve) => {
      const settle = (result) => {
        settled += 1;
        if (!outcome) outcome = { ...result, elapsedMs: performance.now() - t0 };
        resolve();
      };
      promise.then((value) => settle({ value }), (e) => settle({ error: h.describe(e) }));
    });
    await Promise.race([done, h.sleep(withinMs)]);
    await h.sleep(0);  // a second settlement, if any, shows up in `settled`
    if (!outcome) return { pending: true };
    if (outcome.error) h.errors.push(outcome.error);
    return { ...outcome, settled };
  };
  // POSTs JSON to one of the mock's test hooks.
  h.hook = async (path, body, method = 'POST') => {
    const response = await fetch(path, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`hook ${method} ${path} answered ${response.status}`);
    return response.json();
  };
  // Collects garbage until the WASM heap stops shrinking (finalizers run in tasks after a
  // collection, and free clients the page dropped); needs Chromium's --js-flags=--expose-gc.
  h.collectGarbage = async () => {
    let last = Infinity;
    for (let i = 0; i < 40; i++) {
      window.gc();
      await h.sleep(50);
      const now = (await m.memoryStats()).heapBytesInUse;
      if (now >= last) return;
      last = now;
    }
  };
  // The mock phone: the last code sent to userId.
  h.otp = async (userId) => {
    const { code } = await (await fetch(`/__mock/otp?userId=${userId}`)).json();
    h.secrets.push(code);
    return code;
  };
  // A well-formed code other than `code`.
  h.wrongCode = (code, k = 1) => {
    const wrong = String((Number(code) + k) % 1000000).padStart(6, '0');
    h.secrets.push(wrong);
    return wrong;
  };
  return h;
}

/**
 * Runs fn(module, config, extra, h) inside the page, with the module imported from the mock server,
 * a config for it and the helpers of pageProbe as h. Resolves to { value } or, when fn throws,
 * { error } (described as plain data), plus { errors, secrets }: every error h.capture saw and
 * every code the page read from the mock phone, for the caller's secret checks.
 */
export async function runWithModule(page, server, fn, extra = {}) {
  return page.evaluate(async ({ source, probe, base, key, extra }) => {
    const module = await import('/baanx-auth.mjs');
    const h = new Function('return ' + probe)()(module);
    const config = { baseUrl: base, clientKey: key };
    let out;
    try {
      out = { value: await new Function('return ' + source)()(module, config, extra, h) };
    } catch (e) {
      out = { error: h.describe(e) };
      h.errors.push(out.error);
    }
    return { ...out, errors: h.errors, secrets: h.secrets };
  }, { source: fn.toString(), probe: pageProbe.toString(), base: server.url, key: CLIENT_KEY,
    extra });
}

/**
 * Registers the hooks a browser suite shares: the mock server and Chromium for the whole file, one
 * page on the mock's origin (unless page is false), and a reset of the mock before each test.
 * Returns the fixture, whose fields are set once its `before` has run: server, browser, page,
 * apiRequests (the page's requests to /v1/ since the last reset), requestsTo(path), and
 * run(fn, extra) as runWithModule on that page. onPage(page) runs before the page first loads;
 * a suite's own `before` is no place for that, as node:test may start it before this one ends.
 */
export function useBrowserSuite({ page: withPage = true, browserArgs = [], onPage } = {}) {
  const suite = {
    server: null,
    browser: null,
    page: null,
    apiRequests: [],
    requestsTo: (pathname) => suite.apiRequests.filter((r) => new URL(r.url()).pathname === pathname),
    run: (fn, extra) => runWithModule(suite.page, suite.server, fn, extra),
  };
  before(async () => {
    suite.server = await startMockServer();
    suite.browser = await launchBrowser({ args: browserArgs });
    if (!withPage) return;
    suite.page = await suite.browser.newPage();
    suite.page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/v1/')) suite.apiRequests.push(request);
    });
    await onPage?.(suite.page);
    await suite.page.goto(suite.server.url);
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.stop();
  });
  beforeEach(async () => {
    await mockHook(suite.server, '/__mock/reset', {});
    suite.apiRequests.length = 0;
  });
  return suite;
}
