// Shared by the package suites: where the packed tarball is, unpacking it, the API its .d.ts
// declares (read with the TypeScript compiler API), a timed command runner, and the sign-in flow
// a consumer page runs against the mock server. Secrets never reach assertion messages or logs:
// results cross from the page as shapes and booleans, not as tokens or codes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { CLIENT_KEY, PASSWORD, USERS, mockHook } from '../browser/harness.mjs';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');

/** The version in the top-level CMakeLists.txt: project(baanx_auth VERSION x.y.z ...). */
export function projectVersion() {
  const cmake = readFileSync(path.join(root, 'CMakeLists.txt'), 'utf8');
  const match = cmake.match(/project\(\s*baanx_auth\s+VERSION\s+(\d+\.\d+\.\d+)/);
  assert.ok(match, 'no project(baanx_auth VERSION ...) in CMakeLists.txt');
  return match[1];
}

/** The tarball the wasm build packed (build/wasm/baanx-auth-<version>.tgz). */
export const TARBALL = process.env.BAANX_PACKAGE_TARBALL ??
  path.join(root, `build/wasm/baanx-auth-${projectVersion()}.tgz`);

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix) {
  const dir = mkdtempSync(path.join(tmpdir(), `baanx-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs a command to completion; resolves to { ms, stdout, stderr }, rejects with its output when
 * it fails. Nothing secret is ever on these command lines.
 */
export function run(command, args, { cwd, env } = {}) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args,
      { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code === 0) return resolve({ ms, stdout, stderr });
      const error = new Error(`${path.basename(command)} ${args.join(' ')} exited with ${code}\n` +
        `${stdout.slice(-4000)}\n${stderr.slice(-4000)}`);
      error.stdout = stdout;
      error.stderr = stderr;
      error.code = code;
      return reject(error);
    });
  });
}

/** Unpacks an npm tarball into dir as npm install would place it (without its "package/" root). */
export async function unpack(tarball, dir) {
  mkdirSync(dir, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1']);
  return dir;
}

/**
 * What a .d.ts declares, read by the TypeScript compiler: the names of its value exports (what
 * must exist at run time; types and interfaces do not), ErrorCode's keys and literal values, and
 * the members of BaanxClient. Any diagnostic in the file itself fails.
 */
export function declaredApi(dtsPath) {
  const program = ts.createProgram([dtsPath], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
  });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  assert.equal(diagnostics.length, 0, ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (name) => name,
    getCurrentDirectory: () => root,
    getNewLine: () => '\n',
  }));
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(dtsPath);
  const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(file));
  const target = (symbol) =>
    (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);
  const named = (name) => exports.find((symbol) => symbol.name === name);

  const errorCodeType = checker.getTypeOfSymbolAtLocation(named('ErrorCode'), file);
  const errorCodes = Object.fromEntries(
    checker.getPropertiesOfType(errorCodeType).map((property) => {
      const type = checker.getTypeOfSymbolAtLocation(property, file);
      return [property.name, type.isStringLiteral() ? type.value : checker.typeToString(type)];
    }));
  const clientType = checker.getDeclaredTypeOfSymbol(named('BaanxClient'));
  return {
    values: exports.filter((symbol) => target(symbol).flags & ts.SymbolFlags.Value)
      .map((symbol) => symbol.name).sort(),
    names: exports.map((symbol) => symbol.name).sort(),
    errorCodes,
    clientMembers: checker.getPropertiesOfType(clientType).map((property) => property.name).sort(),
  };
}

/**
 * What the loaded page's module exports at run time, as window.consumer (set up by the page: the
 * package's namespace as the page imported it) shows it, and what a client offers.
 */
export async function runtimeApi(page, server) {
  return page.evaluate(async ({ baseUrl, clientKey }) => {
    const { namespace, createClient } = window.consumer;
    const client = await createClient({ baseUrl, clientKey });
    const members = new Set();
    for (let proto = Object.getPrototypeOf(client); proto && proto !== Object.prototype;
      proto = Object.getPrototypeOf(proto)) {
      for (const name of Object.getOwnPropertyNames(proto)) {
        if (name !== 'constructor') members.add(name);
      }
    }
    for (const name of Object.keys(client)) members.add(name);
    return {
      values: Object.keys(namespace).sort(),
      errorCodes: { ...namespace.ErrorCode },
      errorCodeFrozen: Object.isFrozen(namespace.ErrorCode),
      clientMembers: [...members].sort(),
    };
  }, { baseUrl: server.url, clientKey: CLIENT_KEY });
}

/**
 * The documented flow through the page's bundled module against the mock server: login ->
 * otp_required -> sendOtp -> the code from the mock's phone -> login with it -> authenticated,
 * then logout. Asserts each step; returns nothing secret.
 */
export async function assertSignInWithOtp(page, server) {
  const credentials = { email: USERS.ada, password: PASSWORD };
  const first = await page.evaluate(async ({ baseUrl, clientKey, email, password }) => {
    window.client = await window.consumer.createClient({ baseUrl, clientKey });
    const result = await window.client.login({ email, password });
    return { status: result.status, userId: result.userId, phoneNumber: result.phoneNumber };
  }, { baseUrl: server.url, clientKey: CLIENT_KEY, ...credentials });
  assert.deepEqual(first,
    { status: 'otp_required', userId: first.userId, phoneNumber: '+445*****225' });
  assert.match(first.userId, /^[0-9a-f-]{36}$/);

  const sent = await page.evaluate(async (userId) => {
    const result = await window.client.sendOtp({ userId });
    return {
      keys: Object.keys(result).sort(),
      success: result.success,
      inFuture: result.resendAvailableAt > Date.now(),
    };
  }, first.userId);
  assert.deepEqual(sent, { keys: ['resendAvailableAt', 'success'], success: true, inFuture: true });

  const { code } = await mockHook(server, `/__mock/otp?userId=${encodeURIComponent(first.userId)}`,
    undefined, 'GET');
  assert.ok(/^\d{6}$/.test(code), 'the mock phone holds no 6-digit code');

  const done = await page.evaluate(async ({ email, password, otpCode }) => {
    const result = await window.client.login({ email, password, otpCode });
    const session = window.client.session;
    const signedIn = {
      status: result.status,
      keys: Object.keys(result).sort(),
      tokenGiven: typeof result.accessToken === 'string' && result.accessToken.length > 0,
      sessionMatches: session !== null && session.accessToken === result.accessToken &&
        session.userId === result.userId && session.expiresAt === result.expiresAt,
    };
    await window.client.logout();
    return { ...signedIn, sessionAfterLogout: window.client.session };
  }, { ...credentials, otpCode: code });
  assert.deepEqual(done, {
    status: 'authenticated',
    keys: ['accessToken', 'expiresAt', 'isLinked', 'status', 'userId', 'verificationState'],
    tokenGiven: true,
    sessionMatches: true,
    sessionAfterLogout: null,
  });
}

/** Bad input and a bad config reject with the bundled BaanxError, code invalid_argument. */
export async function assertBadInputIsBaanxError(page, server) {
  const outcome = await page.evaluate(async ({ baseUrl, clientKey }) => {
    const { BaanxError, ErrorCode } = window.consumer.namespace;
    const describe = (error) => ({
      isBaanxError: error instanceof BaanxError,
      isError: error instanceof Error,
      name: error.name,
      code: error.code,
      matchesErrorCode: error.code === ErrorCode.INVALID_ARGUMENT,
      field: error.field,
      status: error.status,
    });
    const client = await window.consumer.createClient({ baseUrl, clientKey });
    const badEmail = await client.login({ email: 'not an email', password: 'x' })
      .then(() => 'resolved', describe);
    const badConfig = await window.consumer.createClient({ baseUrl })
      .then(() => 'resolved', describe);
    return { badEmail, badConfig };
  }, { baseUrl: server.url, clientKey: CLIENT_KEY });
  const expected = (field) => ({
    isBaanxError: true, isError: true, name: 'BaanxError', code: 'invalid_argument',
    matchesErrorCode: true, field, status: 0,
  });
  assert.deepEqual(outcome, { badEmail: expected('email'), badConfig: expected('clientKey') });
}

/** Prints a figure for the report (ctest -V shows it); never anything secret. */
export function report(label, ms) {
  console.log(`# timing: ${label}: ${ms.toFixed(0)} ms`);
}
