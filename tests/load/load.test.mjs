// The mock server under load and abuse, over loopback only: wrk floods it with logins, raw
// sockets send malformed HTTP, oversized headers and bodies, and dribble bytes slowly. After each,
// it must still be up, answer correctly and keep its per-user state consistent. Bounded in time.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { CLIENT_KEY, PASSWORD, USERS, mockHook, startMockServer } from '../browser/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);
const ADA_ID = '9979782e-bfa2-42ed-9dee-c76eab6a6326';
let server;

async function api(pathname, body, headers = {}) {
  const response = await fetch(new URL(pathname, server.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'x-client-key': CLIENT_KEY, ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

// The full documented flow still works: the server is up and its state is sound.
async function assertHealthy() {
  await mockHook(server, '/__mock/reset', {});
  const first = await api('/v1/auth/login', { email: USERS.ada, password: PASSWORD });
  assert.equal(first.status, 200);
  assert.equal(first.body.isOtpRequired, true);
  assert.equal((await api('/v1/auth/login/otp', { userId: ADA_ID })).status, 200);
  const phone = await (await fetch(new URL(`/__mock/otp?userId=${ADA_ID}`, server.url))).json();
  const second = await api('/v1/auth/login', { email: USERS.ada, password: PASSWORD, otpCode: phone.code });
  assert.equal(second.status, 200);
  assert.equal(second.body.isOtpRequired, false);
}

// Opens a raw connection, writes `payload` (in pieces `delayMs` apart), and resolves with what
// came back before the server closed it or `limitMs` passed.
function rawExchange(payload, { pieces = 1, delayMs = 0, limitMs = 8000 } = {}) {
  return new Promise((resolve) => {
    const socket = net.connect(server.port, '127.0.0.1');
    let received = '';
    const done = () => { socket.destroy(); resolve(received); };
    const timer = setTimeout(done, limitMs);
    socket.on('data', (chunk) => { received += chunk; });
    socket.on('close', () => { clearTimeout(timer); resolve(received); });
    socket.on('error', () => {});
    socket.on('connect', async () => {
      const size = Math.ceil(payload.length / pieces);
      for (let i = 0; i < payload.length && !socket.destroyed; i += size) {
        socket.write(payload.slice(i, i + size));
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      }
    });
  });
}

// What wrk reported: completed requests, requests/s, non-2xx answers, and its socket errors
// (connect, read, write, timeout), each 0 when wrk printed no "Socket errors" line.
function parseWrk(stdout) {
  const errors = stdout.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  const [connect, read, write, timeout] = errors ? errors.slice(1).map(Number) : [0, 0, 0, 0];
  const statuses = {};
  for (const [, status, count] of stdout.matchAll(/^status (\d+): (\d+)$/gm)) {
    statuses[status] = Number(count);
  }
  return {
    requests: Number(stdout.match(/(\d+) requests in/)[1]),
    perSecond: Number(stdout.match(/Requests\/sec:\s+([\d.]+)/)[1]),
    non2xx: Number(stdout.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0),
    socketErrors: { connect, read, write, timeout },
    statuses,
  };
}

function assertNoSocketErrors(result) {
  assert.deepEqual(result.socketErrors, { connect: 0, read: 0, write: 0, timeout: 0 },
    'wrk saw connections fail or time out');
}

// One login on a connection of its own (no keep-alive), with how long it took to answer.
function timedLogin(limitMs) {
  return new Promise((resolve) => {
    const started = performance.now();
    const body = JSON.stringify({ email: USERS.grace, password: PASSWORD });
    const request = http.request(new URL('/v1/auth/login', server.url), {
      method: 'POST',
      agent: false,
      timeout: limitMs,
      headers: { 'Content-Type': 'application/json', 'x-client-key': CLIENT_KEY, 'Content-Length': body.length },
    }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode, ms: performance.now() - started }));
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
    request.end(body);
  });
}

// Keeps `count` connections open that send a request's header one byte every `intervalMs`,
// opening a new one whenever the server closes one. Resolves to a stop function that reports
// how many the server closed.
function slowLoris(count, intervalMs) {
  const header = `POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nx-client-key: ${CLIENT_KEY}\r\n` +
    `Content-Type: application/json\r\n${'X-Slow: a\r\n'.repeat(1000)}`;
  const sockets = new Set();
  let closedByServer = 0;
  let stopped = false;
  const open = () => {
    if (stopped) return;
    const socket = net.connect(server.port, '127.0.0.1');
    let sent = 0;
    socket.setNoDelay(true);
    socket.on('error', () => {});
    socket.on('close', () => {
      sockets.delete(socket);
      clearInterval(socket.timer);
      if (!stopped) {
        closedByServer += 1;
        open();
      }
    });
    socket.on('connect', () => {
      socket.timer = setInterval(() => socket.write(header[sent++ % header.length]), intervalMs);
    });
    sockets.add(socket);
  };
  for (let i = 0; i < count; i++) open();
  return () => {
    stopped = true;
    for (const socket of sockets) {
      clearInterval(socket.timer);
      socket.destroy();
    }
    return closedByServer;
  };
}

before(async () => {
  server = await startMockServer();
});

after(async () => {
  await server?.stop();
});

test('thousands of concurrent logins from wrk: no errors, and the server stays sound', async () => {
  const { stdout } = await run('wrk', ['-t2', '-c200', '-d8s', '--timeout', '5s', '-s',
    path.join(here, 'login.lua'), new URL('/v1/auth/login', server.url).href], { timeout: 60000 });
  const result = parseWrk(stdout);
  const e = result.socketErrors;
  console.log(`wrk: ${result.requests} logins, ${result.perSecond} requests/s, non-2xx ` +
    `${result.non2xx}, socket errors: connect ${e.connect}, read ${e.read}, write ${e.write}, ` +
    `timeout ${e.timeout}`);
  assertNoSocketErrors(result);
  assert.ok(result.requests > 1000, `only ${result.requests} requests completed`);
  assert.equal(result.non2xx, 0);
  await assertHealthy();
});

test('wrk guessing codes at full speed: the lock engages after exactly the allowed wrong codes', async () => {
  await mockHook(server, '/__mock/reset', {});
  assert.equal((await api('/v1/auth/login/otp', { userId: ADA_ID })).status, 200);
  const phone = await (await fetch(new URL(`/__mock/otp?userId=${ADA_ID}`, server.url))).json();
  const wrongCode = phone.code === '000000' ? '111111' : '000000';
  const { stdout } = await run('wrk', ['-t2', '-c50', '-d3s', '--timeout', '5s', '-s',
    path.join(here, 'wrong_codes.lua'), new URL('/v1/auth/login', server.url).href, '--', wrongCode],
  { timeout: 60000 });
  const result = parseWrk(stdout);
  console.log(`wrk: ${result.requests} wrong codes sent, answers by status: ` +
    JSON.stringify(result.statuses));
  assertNoSocketErrors(result);
  assert.ok(result.requests > 1000, `only ${result.requests} requests completed`);
  // The mock's default: five wrong codes are answered as such, every later attempt is locked out.
  assert.equal(result.statuses['400'], 5, 'not exactly five wrong codes were counted');
  assert.equal(result.statuses['401'], result.requests - 5, 'attempts got past the lock');
  assert.equal(Object.keys(result.statuses).length, 2, 'an answer other than 400 or 401');
  // Locked: even the right code is refused, no new code is sent, the old one is gone.
  const right = await api('/v1/auth/login', { email: USERS.ada, password: PASSWORD, otpCode: phone.code });
  assert.equal(right.status, 401);
  assert.match(right.body.message, /locked/);
  assert.equal((await api('/v1/auth/login/otp', { userId: ADA_ID })).status, 401);
  assert.equal((await fetch(new URL(`/__mock/otp?userId=${ADA_ID}`, server.url))).status, 404);
  await assertHealthy();
});

test('concurrent resends and wrong codes keep one live code and a consistent lock', async () => {
  await mockHook(server, '/__mock/reset', {});
  await mockHook(server, '/__mock/config', { resendCooldownS: 0, maxOtpAttempts: 1000 });
  const sends = Array.from({ length: 80 }, () => api('/v1/auth/login/otp', { userId: ADA_ID }));
  const wrong = Array.from({ length: 40 }, (_, i) => api('/v1/auth/login', {
    email: USERS.ada, password: PASSWORD, otpCode: String(i).padStart(6, '9'),
  }));
  const results = await Promise.all([...sends, ...wrong]);
  assert.ok(results.every((r) => r.status === 200 || r.status === 400), 'unexpected status');
  // Exactly one code is live: the mock phone's, and it signs in once.
  const phone = await (await fetch(new URL(`/__mock/otp?userId=${ADA_ID}`, server.url))).json();
  const good = await api('/v1/auth/login', { email: USERS.ada, password: PASSWORD, otpCode: phone.code });
  assert.equal(good.status, 200);
  assert.equal(good.body.isOtpRequired, false);
  const reused = await api('/v1/auth/login', { email: USERS.ada, password: PASSWORD, otpCode: phone.code });
  assert.equal(reused.status, 400);
  await assertHealthy();
});

test('malformed HTTP gets a 4xx or a closed connection, never a crash', async () => {
  const garbage = [
    'GARBAGE\r\n\r\n',
    'POST /v1/auth/login HTTP/9.9\r\n\r\n',
    'POST /v1/auth/login HTTP/1.1\r\nContent-Length: -5\r\n\r\n',
    'POST /v1/auth/login HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n{}',
    'POST /v1/auth/login HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n',
    '\x00\x01\x02\xff\xfe'.repeat(1000),
    `GET /${'a'.repeat(100000)} HTTP/1.1\r\n\r\n`,
  ];
  const answers = await Promise.all(garbage.map((payload) => rawExchange(payload, { limitMs: 7000 })));
  for (const answer of answers) {
    assert.ok(answer === '' || /^HTTP\/1\.1 4\d\d/.test(answer), 'a malformed request got a non-4xx answer');
  }
  await assertHealthy();
});

test('oversized headers and bodies are refused with a 4xx', async () => {
  const hugeHeader = `POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nX-Big: ${'h'.repeat(200000)}\r\n\r\n`;
  const body = JSON.stringify({ email: USERS.ada, password: 'p'.repeat(200000) });
  const hugeBody = `POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nx-client-key: ${CLIENT_KEY}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
  const [header, big] = await Promise.all([rawExchange(hugeHeader), rawExchange(hugeBody)]);
  assert.ok(header === '' || /^HTTP\/1\.1 4\d\d/.test(header), 'huge header not refused');
  assert.match(big, /^HTTP\/1\.1 413/);
  await assertHealthy();
});

test('slow clients do not stop others from being served', async () => {
  const request = `POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nx-client-key: ${CLIENT_KEY}\r\n` +
    'Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}';
  const slow = Array.from({ length: 20 }, () => rawExchange(request, { pieces: 20, delayMs: 150 }));
  await new Promise((r) => setTimeout(r, 300));
  await assertHealthy(); // while 20 clients dribble their requests
  const answers = await Promise.all(slow);
  assert.ok(answers.every((a) => a === '' || /^HTTP\/1\.1 (400|4\d\d)/.test(a)));
});

test('100 slow-loris connections, more than the workers, do not stop a login answering within a second', async () => {
  const stop = slowLoris(100, 300);
  try {
    await new Promise((r) => setTimeout(r, 1500)); // every worker is taken by now
    for (let i = 0; i < 5; i++) {
      const login = await timedLogin(5000);
      assert.equal(login.status, 200, `login ${i} got no answer while slow clients held on`);
      assert.ok(login.ms < 1000, `login ${i} took ${Math.round(login.ms)} ms`);
      await new Promise((r) => setTimeout(r, 400));
    }
  } finally {
    const closed = stop();
    console.log(`slow-loris: the server closed ${closed} slow connections`);
  }
  await assertHealthy();
});

test('a request dribbled in a byte at a time is cut off at the total deadline', async () => {
  // The header never ends; each byte comes well within the per-read timeout.
  const started = performance.now();
  const answer = await rawExchange(`POST /v1/auth/login HTTP/1.1\r\n${'X-Slow: a\r\n'.repeat(20)}`,
    { pieces: 240, delayMs: 100, limitMs: 20000 });
  const seconds = (performance.now() - started) / 1000;
  assert.ok(answer === '' || /^HTTP\/1\.1 4\d\d/.test(answer), 'the dribbled request was answered');
  assert.ok(seconds < 15, `the server kept the connection ${seconds.toFixed(1)} s`);
});
