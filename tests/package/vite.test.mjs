// A web developer's route: a Vite 7 app (consumer-app/, its own pinned lockfile) copied to a
// temporary directory, npm ci, the packed tarball installed with npm install (not a path into the
// source tree), vite build for production, and the dist served by the mock server (which also
// answers the API, same origin) to headless Chromium. Three pages, one per way of finding the
// .wasm: the package's own new URL(..., import.meta.url) that Vite follows, locateFile to a copy
// the app hosts, and locateFile to the ?url import of the "./baanx-auth.wasm" export. Each runs
// the whole sign-in with OTP and the BaanxError check. Prints the time of each step (# timing).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { CLIENT_KEY, launchBrowser, mockHook, startMockServer } from '../browser/harness.mjs';
import {
  TARBALL, assertBadInputIsBaanxError, assertSignInWithOtp, declaredApi, here, report, run,
  runtimeApi, tempDir,
} from './package-harness.mjs';

const source = path.join(here, 'consumer-app');
const npmFlags = ['--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'];
let temp;
let app;
let dist;
let wasmAsset;
let server;
let browser;

const vite = () => path.join(app, 'node_modules/vite/bin/vite.js');
const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
const filesUnder = (dir) => readdirSync(dir, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile())
  .map((entry) => path.relative(dir, path.join(entry.parentPath ?? entry.path, entry.name)))
  .sort();

before(async () => {
  temp = tempDir('package-vite');
  app = path.join(temp.dir, 'app');
  cpSync(source, app, {
    recursive: true,
    filter: (file) => !['node_modules', 'dist', 'public'].includes(path.basename(file)),
  });
  const ci = await run('npm', ['ci', ...npmFlags], { cwd: app });
  report('npm ci (vite and its dependencies, from the committed lockfile)', ci.ms);
  const install = await run('npm', ['install', '--no-save', ...npmFlags, TARBALL], { cwd: app });
  report('npm install <tarball>', install.ms);
  // The app's own copy of the .wasm, for the locateFile page (as one would put it on a CDN).
  mkdirSync(path.join(app, 'public/vendor'), { recursive: true });
  copyFileSync(path.join(app, 'node_modules/baanx-auth/baanx-auth.wasm'),
    path.join(app, 'public/vendor/baanx-auth.wasm'));
  const build = await run(process.execPath, [vite(), 'build', '--logLevel', 'warn'], { cwd: app });
  report('vite build', build.ms);
  assert.equal(`${build.stdout}${build.stderr}`.trim(), '', 'vite build warned');
  dist = path.join(app, 'dist');
  wasmAsset = filesUnder(dist).find((file) => file.startsWith('assets/') && file.endsWith('.wasm'));

  server = await startMockServer({ webRoot: dist, moduleDir: null });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  temp?.remove();
});

beforeEach(async () => {
  await mockHook(server, '/__mock/reset', {});
});

/** Opens one of the app's pages; resolves once its module ran, with the .wasm responses seen. */
async function openPage(pagePath) {
  const page = await browser.newPage();
  const wasm = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.pathname.endsWith('.wasm')) {
      const type = response.headers()['content-type'];
      wasm.push({ path: url.pathname, status: response.status(), type });
    }
  });
  const started = performance.now();
  await page.goto(new URL(pagePath, server.url).href);
  await page.waitForSelector('body[data-ready]', { state: 'attached' });
  const sinceNavigationStart = await page.evaluate(async (config) => {
    await window.consumer.createClient(config);
    return performance.now();
  }, { baseUrl: server.url, clientKey: CLIENT_KEY });
  return { page, wasm, firstLoadMs: performance.now() - started, sinceNavigationStart };
}

describe('installing and building', () => {
  test('left the app\'s package.json and committed lockfile as they were', () => {
    for (const file of ['package.json', 'package-lock.json']) {
      assert.equal(sha256(path.join(app, file)), sha256(path.join(source, file)),
        `${file} changed`);
    }
  });

  test('installed the tarball, not a link into the source tree', () => {
    const lock = readFileSync(path.join(app, 'node_modules/.package-lock.json'), 'utf8');
    const installed = JSON.parse(lock).packages['node_modules/baanx-auth'];
    assert.equal(installed.resolved, `file:${path.relative(app, TARBALL)}`.replace(/\\/g, '/'));
    assert.equal(installed.link, undefined);
  });

  test('put the .wasm into dist under a hashed name and no copy of the module besides', () => {
    assert.match(wasmAsset ?? '', /^assets\/baanx-auth-[\w-]{8}\.wasm$/);
    assert.equal(sha256(path.join(dist, wasmAsset)),
      sha256(path.join(app, 'node_modules/baanx-auth/baanx-auth.wasm')));
    const files = filesUnder(dist);
    assert.deepEqual(files.filter((file) => file.endsWith('.wasm')),
      [wasmAsset, 'vendor/baanx-auth.wasm']);
    assert.deepEqual(files.filter((file) => /\.(mjs|ts)$/.test(file)), [],
      'a copy of the module is in dist (taken for an asset)');
    assert.deepEqual(files.filter((file) => file.endsWith('.html')),
      ['index.html', 'locate-file.html', 'wasm-url.html']);
  });
});

describe('the built app in Chromium', () => {
  test('default: the bundle finds the hashed .wasm and runs the whole flow', async () => {
    const { page, wasm, firstLoadMs, sinceNavigationStart } = await openPage('/');
    report('first page load, goto -> createClient resolved', firstLoadMs);
    report('first page load, navigation start -> createClient resolved (in the page)',
      sinceNavigationStart);
    assert.deepEqual(wasm, [{ path: `/${wasmAsset}`, status: 200, type: 'application/wasm' }]);

    const declared = declaredApi(path.join(app, 'node_modules/baanx-auth/baanx-auth.d.ts'));
    const actual = await runtimeApi(page, server);
    assert.deepEqual(actual.values, declared.values, 'the bundled exports differ from the .d.ts');
    assert.deepEqual(actual.errorCodes, declared.errorCodes);

    await assertSignInWithOtp(page, server);
    await assertBadInputIsBaanxError(page, server);
    await page.close();
  });

  test('locateFile: the .wasm comes from the app\'s own copy, and only from there', async () => {
    const { page, wasm, firstLoadMs } = await openPage('/locate-file.html');
    report('page load with locateFile, goto -> createClient resolved', firstLoadMs);
    assert.deepEqual(wasm,
      [{ path: '/vendor/baanx-auth.wasm', status: 200, type: 'application/wasm' }]);
    const located = await page.evaluate(() => window.consumer.located);
    assert.deepEqual(located,
      [{ path: 'baanx-auth.wasm', scriptDirectory: new URL('/assets/', server.url).href }]);
    await assertSignInWithOtp(page, server);
    await assertBadInputIsBaanxError(page, server);
    await page.close();
  });

  test('locateFile to the ?url import of baanx-auth/baanx-auth.wasm (its own export)', async () => {
    const { page, wasm, firstLoadMs } = await openPage('/wasm-url.html');
    report('page load with the ?url import, goto -> createClient resolved', firstLoadMs);
    assert.equal(await page.evaluate(() => window.consumer.wasmUrl), `/${wasmAsset}`);
    assert.deepEqual(wasm, [{ path: `/${wasmAsset}`, status: 200, type: 'application/wasm' }]);
    await assertSignInWithOtp(page, server);
    await assertBadInputIsBaanxError(page, server);
    await page.close();
  });

  test('no page logged an error', () => {
    assert.deepEqual(browser.consoleErrors, []);
  });
});

describe('the Vite dev server', () => {
  let dev;
  let devUrl;

  before(async () => {
    // As the package README says: optimizeDeps.exclude (in the app's vite.config.js) keeps the
    // module beside its .wasm. The API stays on the mock server, another origin (CORS).
    const args = ['--host', '127.0.0.1', '--port', '0', '--clearScreen', 'false'];
    dev = spawn(process.execPath, [vite(), ...args], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
    devUrl = await new Promise((resolve, reject) => {
      let output = '';
      const timer = setTimeout(
        () => reject(new Error(`vite did not start in 30 s:\n${output}`)), 30000);
      const read = (chunk) => {
        output += chunk;
        // eslint-disable-next-line no-control-regex
        const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
        const match = plain.match(/Local:\s+(http:\/\/127\.0\.0\.1:\d+\/)/);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      dev.stdout.on('data', read);
      dev.stderr.on('data', read);
      dev.on('exit', (code) => reject(new Error(`vite exited with ${code}:\n${output}`)));
    });
  });

  after(async () => {
    if (dev && dev.exitCode === null) {
      const exited = new Promise((resolve) => dev.once('exit', resolve));
      dev.kill('SIGTERM');
      await exited;
    }
  });

  test('serves a page whose module finds its .wasm and runs the whole flow', async () => {
    const page = await browser.newPage();
    const wasm = [];
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (url.pathname.endsWith('.wasm')) {
        wasm.push({ path: url.pathname, type: response.headers()['content-type'] });
      }
    });
    await page.goto(devUrl);
    await page.waitForSelector('body[data-ready="main"]', { state: 'attached', timeout: 30000 });
    await assertSignInWithOtp(page, server);
    assert.deepEqual(wasm,
      [{ path: '/node_modules/baanx-auth/baanx-auth.wasm', type: 'application/wasm' }]);
    await page.close();
    assert.deepEqual(browser.consoleErrors, []);
  });
});
