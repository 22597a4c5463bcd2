// Size and speed of baanx-auth against @supabase/auth-js, in headless Debian Chromium against the
// local mock server. Prints ONE JSON object on stdout (progress goes to stderr):
//   size      our .mjs and .wasm, raw and gzip -9, and the total; the peer's esbuild bundle
//   startup   20 page loads of each kind, each in a new browser context (a new renderer
//             process), order rotated: ours from import to createClient resolved, imported from
//             its URL, from a blob: URL of text fetched before the clock starts (parse + eval,
//             then the .wasm's fetch, compilation and instantiation, and createClient), and with
//             the .wasm fetched before the clock too (no network inside the timing); the peer's
//             bundle the two ways (fetch + parse + eval; parse + eval alone); an empty module
//             from fetched text (the fixed cost of that method); median,
//             quartiles, min, max; and, as a returning visitor sees it, ours and the peer with
//             both served cacheable and loaded again in one browser context (fromHttpCache)
//   perCall   login through the module vs the same request with fetch + JSON.parse, alternated,
//             500 each: medians, means and the median ratio
//   memory    the module's heap after 100 calls and after 10,000
// Run it through tests/bench/run, which builds the module and the mock server first and installs
// this folder's pinned npm packages (esbuild, @supabase/auth-js, playwright-core).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import {
  CHROMIUM_ARGS, CLIENT_KEY, PASSWORD, USERS, launchBrowser, startMockServer,
} from '../browser/harness.mjs';
import { measure, measureModule } from './size.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const require = createRequire(import.meta.url);

const STARTUP_LOADS = Number(process.env.BENCH_STARTUP_LOADS ?? 20);
const CALLS = Number(process.env.BENCH_CALLS ?? 500);
const HEAP_CALLS = Number(process.env.BENCH_HEAP_CALLS ?? 10000);
const moduleDir = process.env.BAANX_MODULE_DIR ?? path.join(root, 'build/wasm/module');

const log = (...args) => console.error('[bench]', ...args);
const round = (x) => Math.round(x * 1000) / 1000;

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const median = sorted.length % 2
    ? sorted[(sorted.length - 1) / 2]
    : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return {
    n: sorted.length,
    median: round(median),
    mean: round(sorted.reduce((s, x) => s + x, 0) / sorted.length),
    min: round(sorted[0]),
    p25: round(at(0.25)),
    p75: round(at(0.75)),
    max: round(sorted[sorted.length - 1]),
  };
}

// The peer, bundled the way an app would ship it: esbuild, minified ESM for the browser.
async function bundlePeer(dir) {
  const entry = path.join(dir, 'peer-entry.mjs');
  writeFileSync(entry, "export { AuthClient } from '@supabase/auth-js';\n");
  const outfile = path.join(dir, 'peer.mjs');
  await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    outfile,
    nodePaths: [path.join(here, 'node_modules')],
    logLevel: 'error',
  });
  return outfile;
}

// The pages, the module and the peer bundle come from a small Node server (TCP_NODELAY, no cache),
// so that start-up reflects the browser's work; the API calls go to the mock server, cross-origin
// (it answers CORS preflights, which Chromium then caches). Every page is cross-origin isolated
// (COOP + COEP): performance.now() then ticks in fine steps instead of the coarse ones a page gets
// otherwise, which are as large as the per-call differences being measured.
const TYPES = { '.html': 'text/html', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };
function startStaticServer(files) {
  const server = http.createServer({ noDelay: true }, (req, res) => {
    const file = files[new URL(req.url, 'http://x').pathname];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    // Under /cached/ the files are served as a deployment serves hashed assets: cacheable for a
    // year, so a returning visitor's browser takes them (and V8's compiled code) from its caches.
    const cacheable = req.url.startsWith('/cached/');
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Cache-Control': cacheable ? 'public, max-age=31536000, immutable' : 'no-store',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({
      url: `http://127.0.0.1:${server.address().port}/`,
      stop: () => new Promise((done) => server.close(done)),
    }));
  });
}

// A page that times importing `file` and then running `setup` (JS with the module's exports in
// `m`), and leaves importMs and readyMs in window.bench. Imported from its URL, the time includes
// the fetch; fromText fetches the file's text before the clock starts and imports it from a blob:
// URL, which times parse + eval alone (the peer's figure the issue compares against). withWasm
// also fetches our .wasm before the clock starts, as a blob: URL in `wasmUrl` for locateFile:
// then no byte comes over the network inside the timing, as for the peer's parse + eval.
const timedPage = (title, file, setup, { fromText = false, withWasm = false } = {}) => `<!doctype html>
<meta charset="utf-8"><title>${title}</title>
<link rel="icon" href="data:,">
<script type="module">
${fromText ? `const text = await (await fetch('${file}')).text();
const url = URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));`
    : `const url = '${file}';`}
${withWasm ? `const wasm = await (await fetch('/baanx-auth.wasm')).arrayBuffer();
const wasmUrl = URL.createObjectURL(new Blob([wasm], { type: 'application/wasm' }));` : ''}
const t0 = performance.now();
const m = await import(url);
const imported = performance.now();
${setup}
window.bench = { importMs: imported - t0, readyMs: performance.now() - t0 };
console.log('bench ' + JSON.stringify(window.bench));
</script>`;

// Ours: createClient for the mock server. From a blob: URL the .wasm is found through locateFile
// (a blob: URL is no base for the default lookup): `locate` is the JS expression it returns. The
// .wasm is compiled and instantiated inside the measured time, and fetched there too unless the
// page fetched it before (withWasm).
const oursSetup = (api, { locate } = {}) => `window.api = ${JSON.stringify(api)};
window.client = await m.createClient({ baseUrl: window.api, clientKey: ${JSON.stringify(CLIENT_KEY)}${
  locate ? `,\n  locateFile: (name) => ${locate}` : ''} });`;

// The peer: its AuthClient constructed.
const PEER_SETUP = `window.client = new m.AuthClient({ url: location.origin + '/auth/v1',
  autoRefreshToken: false, persistSession: false, detectSessionInUrl: false });`;

// Opens url in a new page of context and returns what the page measured, which it logs to the
// console. Nothing is evaluated in the page while it runs: waitForFunction() would inject
// Playwright's script (main-thread work of its own) in the middle of the timed import, since
// goto() returns at the load event, which comes while a top-level await is still pending.
async function readBench(context, url) {
  const page = await context.newPage();
  page.on('pageerror', (e) => log(`page error on ${url}: ${e.message}`));
  try {
    const measured = page.waitForEvent('console', {
      predicate: (message) => message.text().startsWith('bench '),
      timeout: 30000,
    });
    await page.goto(url);
    return JSON.parse((await measured).text().slice('bench '.length));
  } finally {
    await page.close();
  }
}

// One uncounted load of each kind (browser start-up, first-use code paths, and for a warm cache
// the filling of it), then STARTUP_LOADS rounds with the order rotated so that no kind always comes
// first. load(url) returns window.bench; the result holds each kind's importMs and readyMs.
async function sampleLoads(base, kinds, load) {
  const samples = Object.fromEntries(kinds.map((kind) => [kind, { importMs: [], readyMs: [] }]));
  for (const kind of kinds) await load(base + `bench-${kind}.html`);
  for (let i = 0; i < STARTUP_LOADS; i++) {
    for (let k = 0; k < kinds.length; k++) {
      const kind = kinds[(i + k) % kinds.length];
      const result = await load(base + `bench-${kind}.html?load=${i}`);
      samples[kind].importMs.push(result.importMs);
      samples[kind].readyMs.push(result.readyMs);
    }
  }
  return samples;
}

// Runs fn(browser) in a Chromium of its own (not the persistent profile of the other figures).
// Every new browser context opens a window, and a new window preloads the omnibox popup's WebUI
// (a renderer loading many chrome:// scripts) just while the page under test loads: on two cores
// that competes with the timed work, so the start-up browsers turn that preloading off.
async function withChromium(fn) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, '--disable-features=PreloadTopChromeWebUI'],
  });
  try {
    return await fn(browser);
  } finally {
    await browser.close();
  }
}

// Each load gets a new browser context, and so a new renderer process: nothing compiled by an
// earlier load (V8 keeps compiled scripts per process) makes a later one look cheaper.
function startup(base) {
  return withChromium(async (browser) => {
    const kinds = ['ours', 'ours-parse', 'ours-bytes', 'peer', 'peer-parse', 'empty-parse'];
    const samples = await sampleLoads(base, kinds, async (url) => {
      const context = await browser.newContext();
      try {
        return await readBench(context, url);
      } finally {
        await context.close();
      }
    });
    const oursReady = stats(samples.ours.readyMs);
    const oursParseReady = stats(samples['ours-parse'].readyMs);
    const oursBytesReady = stats(samples['ours-bytes'].readyMs);
    const peerParseEval = stats(samples['peer-parse'].importMs);
    return {
      loads: STARTUP_LOADS,
      freshRendererPerLoad: true,
      ours: {
        importToCreateClientMs: oursReady,
        importOnlyMs: stats(samples.ours.importMs),
        fromFetchedText: {
          importToCreateClientMs: oursParseReady,
          parseEvalMs: stats(samples['ours-parse'].importMs),
        },
        fromFetchedTextAndWasm: {
          importToCreateClientMs: oursBytesReady,
          parseEvalMs: stats(samples['ours-bytes'].importMs),
        },
      },
      peer: {
        parseEvalMs: peerParseEval,
        importWithFetchMs: stats(samples.peer.importMs),
        importAndConstructMs: stats(samples.peer.readyMs),
      },
      // The fixed part of every "from fetched text" figure: an empty module imported the same
      // way (a blob: URL's load is slow in a new renderer), on both sides alike.
      emptyModuleFromFetchedTextMs: stats(samples['empty-parse'].importMs),
      oursFasterThanPeerParseEval: oursReady.median < peerParseEval.median,
      oursFromFetchedTextFasterThanPeerParseEval: oursParseReady.median < peerParseEval.median,
      oursFromFetchedTextAndWasmFasterThanPeerParseEval:
        oursBytesReady.median < peerParseEval.median,
    };
  });
}

// A returning visitor: one browser context (one HTTP cache), the files cacheable, new pages in
// that context.
function startupCached(base) {
  return withChromium(async (browser) => {
    const context = await browser.newContext();
    const samples = await sampleLoads(base, ['ours-cached', 'peer-cached'],
      (url) => readBench(context, url));
    return {
      loads: STARTUP_LOADS,
      ours: {
        importToCreateClientMs: stats(samples['ours-cached'].readyMs),
        importOnlyMs: stats(samples['ours-cached'].importMs),
      },
      peer: {
        importMs: stats(samples['peer-cached'].importMs),
        importAndConstructMs: stats(samples['peer-cached'].readyMs),
      },
    };
  });
}

async function perCall(browser, base) {
  const page = await browser.newPage();
  try {
    await page.goto(base + 'bench-ours.html');
    await page.waitForFunction(() => window.bench !== undefined);
    const result = await page.evaluate(async ({ calls, email, password, key }) => {
      const client = window.client;
      const body = () => JSON.stringify({ email, password });
      const plainLogin = async () => {
        const response = await fetch(window.api + 'v1/auth/login', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'x-client-key': key },
          body: body(),
        });
        return JSON.parse(await response.text());
      };
      // Warm both paths up first.
      for (let i = 0; i < 20; i++) {
        await client.login({ email, password });
        await plainLogin();
      }
      const module = [];
      const plain = [];
      for (let i = 0; i < calls; i++) {
        const first = i % 2 ? 'plain' : 'module';
        for (const which of first === 'module' ? ['module', 'plain'] : ['plain', 'module']) {
          const t0 = performance.now();
          if (which === 'module') {
            const r = await client.login({ email, password });
            if (r.status !== 'authenticated') throw new Error('unexpected login result');
            module.push(performance.now() - t0);
          } else {
            const r = await plainLogin();
            if (!r.accessToken) throw new Error('unexpected plain result');
            plain.push(performance.now() - t0);
          }
        }
      }
      return { module, plain, isolated: crossOriginIsolated };
    }, { calls: CALLS, email: USERS.grace, password: PASSWORD, key: CLIENT_KEY });
    const module = stats(result.module);
    const plain = stats(result.plain);
    return {
      calls: CALLS,
      // Cross-origin isolated, the page's performance.now() ticks in fine steps (else coarse ones).
      crossOriginIsolated: result.isolated,
      moduleLoginMs: module,
      plainFetchJsonParseMs: plain,
      medianOverheadMs: round(module.median - plain.median),
      medianRatio: round(module.median / plain.median),
      meanRatio: round(module.mean / plain.mean),
      p25Ratio: round(module.p25 / plain.p25),
    };
  } finally {
    await page.close();
  }
}

async function memory(browser, base) {
  const page = await browser.newPage();
  try {
    await page.goto(base + 'bench-ours.html');
    await page.waitForFunction(() => window.bench !== undefined);
    return await page.evaluate(async ({ total, email, password }) => {
      const m = await import('/baanx-auth.mjs');
      const client = window.client;
      let done = 0;
      const run = async (until) => {
        for (; done < until; done++) {
          // Mostly logins that succeed; every 10th is refused before any request (bad email).
          if (done % 10 === 9) {
            await client.login({ email: 'not-an-email', password }).catch(() => {});
          } else {
            await client.login({ email, password });
          }
        }
      };
      await run(100);
      const after100 = await m.memoryStats();
      await run(total);
      const afterAll = await m.memoryStats();
      const page = 65536;
      return {
        calls: total,
        after100,
        [`after${total}`]: afterAll,
        heapBytesInUseDelta: afterAll.heapBytesInUse - after100.heapBytesInUse,
        heapBytesTotalDelta: afterAll.heapBytesTotal - after100.heapBytesTotal,
        wasmMemoryPagesAfter100: after100.wasmMemoryBytes / page,
        [`wasmMemoryPagesAfter${total}`]: afterAll.wasmMemoryBytes / page,
        withinOnePage: Math.abs(afterAll.heapBytesTotal - after100.heapBytesTotal) <= page &&
          Math.abs(afterAll.heapBytesInUse - after100.heapBytesInUse) <= page,
      };
    }, { total: HEAP_CALLS, email: USERS.grace, password: PASSWORD });
  } finally {
    await page.close();
  }
}

function machine(userAgent) {
  const cpus = os.cpus();
  let emcc = null;
  try {
    emcc = execFileSync('em++', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  } catch {
    // not on PATH: leave it out
  }
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    browser: userAgent,
    emscripten: emcc,
    peer: `@supabase/auth-js ${require('@supabase/auth-js/package.json').version}`,
    esbuild: esbuild.version,
  };
}

async function main() {
  const webRoot = mkdtempSync(path.join(os.tmpdir(), 'baanx-bench-'));
  let server;
  let statics;
  let browser;
  try {
    log('bundling the peer with esbuild');
    const peerFile = await bundlePeer(webRoot);
    const ours = measureModule(moduleDir);
    const peer = measure([peerFile]);

    server = await startMockServer();
    const pages = {
      'bench-ours.html': timedPage('ours', '/baanx-auth.mjs', oursSetup(server.url)),
      'bench-ours-cached.html': timedPage('ours', '/cached/baanx-auth.mjs', oursSetup(server.url)),
      'bench-ours-parse.html': timedPage('ours parse', '/baanx-auth.mjs',
        oursSetup(server.url, { locate: "location.origin + '/' + name" }), { fromText: true }),
      'bench-ours-bytes.html': timedPage('ours bytes', '/baanx-auth.mjs',
        oursSetup(server.url, { locate: 'wasmUrl' }), { fromText: true, withWasm: true }),
      'bench-peer.html': timedPage('peer', '/peer.mjs', PEER_SETUP),
      'bench-peer-cached.html': timedPage('peer', '/cached/peer.mjs', PEER_SETUP),
      'bench-peer-parse.html': timedPage('peer parse', '/peer.mjs', PEER_SETUP, { fromText: true }),
      'bench-empty-parse.html': timedPage('empty parse', '/empty.mjs', '', { fromText: true }),
    };
    for (const [name, html] of Object.entries(pages)) writeFileSync(path.join(webRoot, name), html);
    const emptyFile = path.join(webRoot, 'empty.mjs');
    writeFileSync(emptyFile, 'export {};\n');
    const files = {
      '/empty.mjs': emptyFile,
      '/peer.mjs': peerFile,
      '/baanx-auth.mjs': path.join(moduleDir, 'baanx-auth.mjs'),
      '/baanx-auth.wasm': path.join(moduleDir, 'baanx-auth.wasm'),
    };
    for (const [url, file] of Object.entries(files)) files[`/cached${url}`] = file;
    for (const name of Object.keys(pages)) files[`/${name}`] = path.join(webRoot, name);
    statics = await startStaticServer(files);
    browser = await launchBrowser();
    const base = statics.url;
    const probe = await browser.newPage();
    const userAgent = await probe.evaluate(() => navigator.userAgent);
    await probe.close();

    log(`start-up: ${STARTUP_LOADS} fresh page loads each`);
    const startupFigures = await startup(base);
    log(`start-up from the HTTP cache: ${STARTUP_LOADS} loads each`);
    startupFigures.fromHttpCache = await startupCached(base);
    log(`per call: ${CALLS} logins each way, alternated`);
    const perCallFigures = await perCall(browser, base);
    log(`memory: ${HEAP_CALLS} calls`);
    const memoryFigures = await memory(browser, base);
    const result = {
      machine: machine(userAgent),
      size: {
        ours,
        peer: { name: '@supabase/auth-js (esbuild --bundle --minify, ESM)', ...peer },
        goalGzipBytes: 23 * 1024,
        oursWithinGoal: ours.totalGzip <= 23 * 1024,
        oursSmallerThanPeer: ours.totalGzip < peer.totalGzip,
      },
      startup: startupFigures,
      perCall: perCallFigures,
      memory: memoryFigures,
    };
    if (browser.consoleErrors.length) result.pageErrors = browser.consoleErrors;
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await browser?.close();
    await statics?.stop();
    await server?.stop();
    rmSync(webRoot, { recursive: true, force: true });
  }
}

await main();
