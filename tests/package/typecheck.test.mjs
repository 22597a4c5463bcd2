// Compiles types.test.ts with tsc --noEmit --strict against the packed tarball installed in a
// fresh project, once per module resolution an app may use: "bundler" (Vite, webpack), "nodenext"
// (package.json "exports" with the import condition) and "node10" (older tools, the "types"
// field). Each must compile cleanly, and must have read the package's own baanx-auth.d.ts.
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
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

async function typecheck(file, moduleFlags) {
  const args = [tsc, '--noEmit', '--strict', '--target', 'es2022', '--lib', 'es2022,dom',
    '--noUnusedLocals', '--listFiles', ...moduleFlags, file];
  return run(process.execPath, args, { cwd: temp.dir }).then(
    ({ stdout }) => ({ ok: true, stdout }),
    (error) => ({ ok: false, stdout: error.stdout ?? String(error) }));
}

for (const [resolution, moduleFlags] of [
  ['bundler', ['--module', 'esnext', '--moduleResolution', 'bundler']],
  ['nodenext', ['--module', 'nodenext', '--moduleResolution', 'nodenext']],
  ['node10', ['--module', 'esnext', '--moduleResolution', 'node10', '--ignoreDeprecations', '5.0']],
]) {
  test(`types.test.ts compiles under --strict with moduleResolution ${resolution}`, async () => {
    const { ok, stdout } = await typecheck('types.test.ts', moduleFlags);
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
  const { ok, stdout } = await typecheck('wrong.ts',
    ['--module', 'esnext', '--moduleResolution', 'bundler']);
  assert.equal(ok, false);
  assert.match(stdout,
    /wrong\.ts\(4,\d+\): error TS2339: Property 'accessToken' does not exist on type 'LoginResult'/);
});
