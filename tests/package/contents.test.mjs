// The npm tarball the wasm build packs: exactly the files a user needs, a package.json that
// bundlers, TypeScript and Node read as intended (checked by Node's own resolver), the version of
// the CMake project, the freshly built module, and a README that names only real API. What ships
// is written for the package's users: it sends them to no file of the source repository.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  TARBALL, declaredApi, projectVersion, report, root, run, tempDir, unpack,
} from './package-harness.mjs';

let temp;
let packageDir;
let manifest;

before(async () => {
  temp = tempDir('package-contents');
  packageDir = await unpack(TARBALL, path.join(temp.dir, 'node_modules/baanx-auth'));
  manifest = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
});

after(() => temp?.remove());

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('the tarball', () => {
  test('is named after the package and the CMake project version', () => {
    assert.equal(path.basename(TARBALL), `baanx-auth-${projectVersion()}.tgz`);
  });

  test('holds only the module, its .wasm and types, package.json, README and LICENSE', async () => {
    const { stdout } = await run('tar', ['-tzf', TARBALL]);
    assert.deepEqual(stdout.trim().split('\n').sort(), [
      'package/LICENSE', 'package/README.md', 'package/baanx-auth.d.ts', 'package/baanx-auth.mjs',
      'package/baanx-auth.wasm', 'package/package.json',
    ]);
  });

  test('carries the module just built and the project LICENSE', () => {
    const moduleDir = process.env.BAANX_MODULE_DIR ?? path.join(root, 'build/wasm/module');
    for (const file of ['baanx-auth.mjs', 'baanx-auth.wasm']) {
      assert.equal(sha256(path.join(packageDir, file)), sha256(path.join(moduleDir, file)),
        `${file} in the tarball is not the one in ${moduleDir}`);
    }
    assert.equal(sha256(path.join(packageDir, 'LICENSE')), sha256(path.join(root, 'LICENSE')));
    const license = readFileSync(path.join(packageDir, 'LICENSE'), 'utf8');
    assert.match(license, /^MIT License\n\nCopyright \(c\) 2026 the baanx-auth authors\n/);
  });

  test('is what npm pack makes of build/wasm/package now (reproducible, not stale)', async () => {
    const { ms } = await run('npm', ['pack', path.join(path.dirname(TARBALL), 'package'),
      '--pack-destination', temp.dir, '--ignore-scripts', '--silent']);
    report('npm pack', ms);
    assert.equal(sha256(path.join(temp.dir, path.basename(TARBALL))), sha256(TARBALL));
  });
});

describe('package.json', () => {
  test('names the package, its CMake version, MIT and an ES module without side effects', () => {
    assert.equal(manifest.name, 'baanx-auth');
    assert.equal(manifest.version, projectVersion());
    assert.equal(manifest.license, 'MIT');
    assert.equal(manifest.type, 'module');
    assert.equal(manifest.sideEffects, false);
    assert.deepEqual(manifest.files, ['baanx-auth.mjs', 'baanx-auth.wasm', 'baanx-auth.d.ts']);
  });

  test('exports "." with types before default, the .wasm and package.json, nothing else', () => {
    assert.deepEqual(Object.keys(manifest.exports), ['.', './baanx-auth.wasm', './package.json']);
    assert.deepEqual(Object.entries(manifest.exports['.']),
      [['types', './baanx-auth.d.ts'], ['default', './baanx-auth.mjs']]);
    assert.equal(manifest.exports['./baanx-auth.wasm'], './baanx-auth.wasm');
    assert.equal(manifest.exports['./package.json'], './package.json');
  });

  test('main, module, browser and types point older tools at files that exist', () => {
    const { main, module, browser, types } = manifest;
    assert.deepEqual({ main, module, browser, types }, {
      main: './baanx-auth.mjs',
      module: './baanx-auth.mjs',
      browser: './baanx-auth.mjs',
      types: './baanx-auth.d.ts',
    });
  });

  test("Node's resolver finds every export, and nothing that is not exported", async () => {
    // Run from inside a project that has the package installed, as its own code would be.
    const probe = path.join(temp.dir, 'resolve.mjs');
    writeFileSync(probe, `
      const specifiers = ${JSON.stringify([
        'baanx-auth', 'baanx-auth/baanx-auth.wasm', 'baanx-auth/package.json',
        'baanx-auth/baanx-auth.mjs', 'baanx-auth/baanx-auth.d.ts', 'baanx-auth/README.md'])};
      const answers = {};
      for (const specifier of specifiers) {
        try { answers[specifier] = new URL(import.meta.resolve(specifier)).pathname; }
        catch (error) { answers[specifier] = error.code; }
      }
      console.log(JSON.stringify(answers));`);
    const { stdout } = await run(process.execPath, [probe], { cwd: temp.dir });
    const inPackage = (file) => path.join(packageDir, file);
    assert.deepEqual(JSON.parse(stdout), {
      'baanx-auth': inPackage('baanx-auth.mjs'),
      'baanx-auth/baanx-auth.wasm': inPackage('baanx-auth.wasm'),
      'baanx-auth/package.json': inPackage('package.json'),
      'baanx-auth/baanx-auth.mjs': 'ERR_PACKAGE_PATH_NOT_EXPORTED',
      'baanx-auth/baanx-auth.d.ts': 'ERR_PACKAGE_PATH_NOT_EXPORTED',
      'baanx-auth/README.md': 'ERR_PACKAGE_PATH_NOT_EXPORTED',
    });
  });
});

describe('README.md of the package', () => {
  test('imports, calls and reads only what the .d.ts declares', () => {
    const readme = readFileSync(path.join(packageDir, 'README.md'), 'utf8');
    const api = declaredApi(path.join(packageDir, 'baanx-auth.d.ts'));
    const imported = [...readme.matchAll(/import\s*\{([^}]*)\}\s*from\s*'baanx-auth'/g)]
      .flatMap((match) => match[1].split(',').map((name) => name.trim().replace(/^type\s+/, '')))
      .filter(Boolean);
    const members = [...readme.matchAll(/\bclient\.(\w+)/g)].map((match) => match[1]);
    const codes = [...readme.matchAll(/ErrorCode\.(\w+)/g)].map((match) => match[1]);
    assert.ok(imported.length >= 3 && members.length >= 4 && codes.length >= 1,
      'the README shows no imports, client calls or codes');
    for (const name of imported) assert.ok(api.names.includes(name), `README imports ${name}`);
    for (const name of members) {
      assert.ok(api.clientMembers.includes(name), `README uses client.${name}`);
    }
    for (const name of codes) assert.ok(name in api.errorCodes, `README uses ErrorCode.${name}`);
    // Every code string the README names in backticks after "code" is a real one.
    const values = new Set(Object.values(api.errorCodes));
    for (const [, code] of readme.matchAll(/`([a-z]+(?:_[a-z]+)+)`/g)) {
      if (!['otp_required', 'onboarding_required'].includes(code)) {
        assert.ok(values.has(code), `README names the code ${code}`);
      }
    }
    assert.match(readme, /npm install baanx-auth/);
    assert.match(readme, /locateFile/);
  });

  test('is the complete reference: a row for every error code, a section for every method', () => {
    const readme = readFileSync(path.join(packageDir, 'README.md'), 'utf8');
    const api = declaredApi(path.join(packageDir, 'baanx-auth.d.ts'));
    const codes = Object.values(api.errorCodes);
    assert.ok(codes.length >= 17, `only ${codes.length} codes declared`);
    for (const code of codes) {
      assert.match(readme, new RegExp(`^\\| \`${code}\` \\|`, 'm'), `no row for ${code}`);
    }
    for (const name of api.clientMembers) {
      assert.match(readme, new RegExp(`^### client\\.${name}\\b`, 'm'), `no section for ${name}`);
    }
  });
});

describe('what ships speaks to users', () => {
  // Names of this repository's files and documents, which a user of the package does not have.
  const repositoryReferences = [
    /\b[\w-]+\.md\b/, /\b(?:src|tests|toolchain|web)\/\w/, /\bCMakeLists\b/,
  ];

  for (const file of ['README.md', 'baanx-auth.d.ts']) {
    test(`${file} names no file or document of the source repository`, () => {
      const text = readFileSync(path.join(packageDir, file), 'utf8');
      for (const pattern of repositoryReferences) {
        const found = text.match(pattern);
        assert.equal(found, null, `${file} names ${found && found[0]}`);
      }
    });
  }
});
