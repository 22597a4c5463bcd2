// Compiles types.test.ts with tsc --noEmit --strict --exactOptionalPropertyTypes against the packed
// tarball installed in a fresh project, once per module resolution an app may use: "bundler"
// (Vite, webpack), "nodenext" (package.json "exports" with the import condition) and "node10"
// (older tools, the "types" field), and once without exactOptionalPropertyTypes, which most apps
// leave off. Each must compile cleanly, and must have read the package's own baanx-auth.d.ts.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { TARBALL, here, run, tempDir, unpack } from './package-harness.mjs';

const tsc = path.join(here, '../node_modules/typescript/bin/tsc');
let temp;
let declarations;

before(async () => {
  temp = tempDir('package-types');
  const packageDir = await unpack(TARBALL, path.join(temp.dir, 'node_modules/baanx-auth'));
  declarations = path.join(packageDir, 'baanx-auth.d.ts');
  copyFileSync(path.join(here, 'types.test.ts'), path.join(temp.dir, 'types.test.ts'));
  writeFileSync(path.join(temp.dir, 'package.json'),
    JSON.stringify({ private: true, type: 'module' }));
});

after(() => temp?.remove());

const bundler = ['--module', 'esnext', '--moduleResolution', 'bundler'];
const exactOptional = ['--exactOptionalPropertyTypes'];

async function typecheck(file, flags, cwd = temp.dir) {
  const args = [tsc, '--noEmit', '--strict', '--target', 'es2022', '--lib', 'es2022,dom',
    '--noUnusedLocals', '--listFiles', ...flags, file];
  return run(process.execPath, args, { cwd }).then(
    ({ stdout }) => ({ ok: true, stdout }),
    (error) => ({ ok: false, stdout: error.stdout ?? String(error) }));
}

for (const [variant, flags] of [
  ['moduleResolution bundler', [...bundler, ...exactOptional]],
  ['moduleResolution nodenext',
    ['--module', 'nodenext', '--moduleResolution', 'nodenext', ...exactOptional]],
  ['moduleResolution node10', ['--module', 'esnext', '--moduleResolution', 'node10',
    '--ignoreDeprecations', '5.0', ...exactOptional]],
  ['moduleResolution bundler, without exactOptionalPropertyTypes', bundler],
]) {
  test(`types.test.ts compiles under --strict with ${variant}`, async () => {
    const { ok, stdout } = await typecheck('types.test.ts', flags);
    const diagnostics = stdout.split('\n').filter((line) => line.includes('error TS')).join('\n');
    assert.equal(diagnostics, '', 'tsc reported errors');
    assert.ok(ok, stdout.slice(-2000));
    assert.ok(stdout.split('\n').includes(declarations), 'tsc did not read the package .d.ts');
  });
}

test('a wrong use is reported (the check can fail)', async () => {
  writeFileSync(path.join(temp.dir, 'wrong.ts'), [
    "import { createClient } from 'baanx-auth';",
    "const client = await createClient({ baseUrl: 'https://dev.api.baanx.com', clientKey: 'k' });",
    "const result = await client.login({ email: 'a@example.com', password: 'p' });",
    'export const token: string = result.accessToken;',
  ].join('\n'));
  const { ok, stdout } = await typecheck('wrong.ts', bundler);
  assert.equal(ok, false);
  assert.match(stdout,
    /wrong\.ts\(4,\d+\): error TS2339: Property 'accessToken' does not exist on type 'LoginResult'/);
});

test('each explicit undefined of types.test.ts fails against a .d.ts without its `| undefined` ' +
  '(the check can fail)', async () => {
  // The same package, its optional properties without `| undefined`, in a project of its own.
  const project = path.join(temp.dir, 'without-undefined');
  const packageDir = path.join(project, 'node_modules/baanx-auth');
  mkdirSync(packageDir, { recursive: true });
  copyFileSync(path.join(path.dirname(declarations), 'package.json'),
    path.join(packageDir, 'package.json'));
  const original = readFileSync(declarations, 'utf8');
  const narrowed = original.replace(/\?: ([^;\n]+) \| undefined;/g, '?: $1;');
  assert.notEqual(narrowed, original);
  const narrowedFile = path.join(packageDir, 'baanx-auth.d.ts');
  writeFileSync(narrowedFile, narrowed);
  copyFileSync(path.join(here, 'types.test.ts'), path.join(project, 'types.test.ts'));
  writeFileSync(path.join(project, 'package.json'),
    JSON.stringify({ private: true, type: 'module' }));

  const { ok, stdout } = await typecheck('types.test.ts', [...bundler, ...exactOptional], project);
  assert.equal(ok, false, 'the narrowed .d.ts compiled');
  assert.ok(stdout.split('\n').includes(narrowedFile), 'tsc did not read the narrowed .d.ts');
  const marked = readFileSync(path.join(here, 'types.test.ts'), 'utf8').split('\n')
    .flatMap((line, index) => (line.endsWith('// explicit undefined') ? [index + 1] : []));
  const errors = [...stdout.matchAll(/^types\.test\.ts\((\d+),\d+\): error (TS\d+)/gm)];
  assert.deepEqual([...new Set(errors.map(([, line]) => Number(line)))], marked);
  // TS2379 and TS2375: "... with 'exactOptionalPropertyTypes: true'".
  for (const [, , code] of errors) assert.match(code, /^TS23(75|79)$/);
});
