// No bundler: the packed tarball unpacked into node_modules/ and served as it is (by the mock
// server, which also answers the API), imported by a page through an import map, with the .wasm
// found next to the module. Also checks that the module's exports at run time are exactly what
// baanx-auth.d.ts declares: the value exports, ErrorCode's keys and values, a client's members.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { launchBrowser, mockHook, startMockServer } from '../browser/harness.mjs';
import {
  TARBALL, assertBadInputIsBaanxError, assertSignInWithOtp, declaredApi, runtimeApi, tempDir,
  unpack,
} from './package-harness.mjs';

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>baanx-auth without a bundler</title>
    <link rel="icon" href="data:,">
    <script type="importmap">{ "imports": { "baanx-auth": "/node_modules/baanx-auth/baanx-auth.mjs" } }</script>
  </head>
  <body>
    <script type="module">
      import * as baanx from 'baanx-auth';
      window.consumer = {
        variant: 'plain',
        namespace: baanx,
        createClient: (config) => baanx.createClient(config),
      };
      document.body.dataset.ready = 'plain';
    </script>
  </body>
</html>
`;

let temp;
let packageDir;
let server;
let browser;
let page;
const responses = [];

before(async () => {
  temp = tempDir('package-plain');
  packageDir = await unpack(TARBALL, path.join(temp.dir, 'site/node_modules/baanx-auth'));
  writeFileSync(path.join(temp.dir, 'site/index.html'), PAGE);
  // No module directory: the source tree's build is not reachable, only the unpacked package.
  server = await startMockServer({ webRoot: path.join(temp.dir, 'site'), moduleDir: null });
  browser = await launchBrowser();
  page = await browser.newPage();
  page.on('response', (response) => responses.push({
    path: new URL(response.url()).pathname,
    status: response.status(),
    type: response.headers()['content-type'],
  }));
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="plain"]', { state: 'attached' });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  temp?.remove();
});

beforeEach(async () => {
  await mockHook(server, '/__mock/reset', {});
});

test('the exports at run time are exactly those baanx-auth.d.ts declares', async () => {
  const declared = declaredApi(path.join(packageDir, 'baanx-auth.d.ts'));
  const actual = await runtimeApi(page, server);
  assert.deepEqual(actual.values, declared.values);
  assert.deepEqual(actual.errorCodes, declared.errorCodes);
  assert.equal(actual.errorCodeFrozen, true);
  assert.deepEqual(actual.clientMembers, declared.clientMembers);
});

test('login -> otp_required -> sendOtp -> code from the mock phone -> authenticated', async () => {
  await assertSignInWithOtp(page, server);
});

test('bad input and a bad config reject with BaanxError invalid_argument', async () => {
  await assertBadInputIsBaanxError(page, server);
});

test('the .wasm came from beside the module, as application/wasm, once', () => {
  const wasm = responses.filter((response) => response.path.endsWith('.wasm'));
  assert.deepEqual(wasm, [
    { path: '/node_modules/baanx-auth/baanx-auth.wasm', status: 200, type: 'application/wasm' },
  ]);
  const modules = responses.filter((response) => response.path.endsWith('.mjs'));
  assert.deepEqual(modules.map((response) => response.path),
    ['/node_modules/baanx-auth/baanx-auth.mjs']);
  assert.deepEqual(browser.consoleErrors, []);
});
