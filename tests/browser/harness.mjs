// Shared by the browser suites: starts the real mock server (test mode, ephemeral port) and a
// headless Debian Chromium driven by playwright-core. Never downloads a browser.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

/**
 * Runs fn(module, config, extra) inside the page, with the module imported from the mock server
 * and a config for it; a rejection comes back as a plain description ({ error }), else { value }.
 */
export async function runWithModule(page, server, fn, extra = {}) {
  return page.evaluate(async ({ source, base, key, extra }) => {
    const module = await import('/baanx-auth.mjs');
    const config = { baseUrl: base, clientKey: key };
    try {
      return { value: await new Function('return ' + source)()(module, config, extra) };
    } catch (e) {
      return {
        error: {
          isBaanxError: e instanceof module.BaanxError,
          isError: e instanceof Error,
          name: e.name,
          code: e.code,
          status: e.status,
          message: e.message,
          field: e.field,
          retryAfterMs: e.retryAfterMs,
          stack: String(e.stack),
        },
      };
    }
  }, { source: fn.toString(), base: server.url, key: CLIENT_KEY, extra });
}
