// Download size of the module: each file raw and compressed with `gzip -9` (GNU gzip, as the issue
// counts it), and the total. Used by bench.mjs, and by ctest as the size budget check:
//   node size.mjs [--module-dir DIR] [--budget BYTES]
// prints the figures as JSON and, with --budget, fails when the gzip total is over it.
import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const MODULE_FILES = ['baanx-auth.mjs', 'baanx-auth.wasm'];

/** Bytes of `data` after `gzip -9 -n` (no name or time stamp: the same bytes every run). */
export function gzipSize(data) {
  return execFileSync('gzip', ['-9', '-n', '-c'], { input: data, maxBuffer: 64 << 20 }).length;
}

/** { files: { name: { raw, gzip } }, totalRaw, totalGzip } for the given files. */
export function measure(filePaths) {
  const files = {};
  let totalRaw = 0;
  let totalGzip = 0;
  for (const file of filePaths) {
    const data = readFileSync(file);
    const entry = { raw: data.length, gzip: gzipSize(data) };
    files[path.basename(file)] = entry;
    totalRaw += entry.raw;
    totalGzip += entry.gzip;
  }
  return { files, totalRaw, totalGzip };
}

export function measureModule(moduleDir) {
  return measure(MODULE_FILES.map((name) => path.join(moduleDir, name)));
}

// Run as a script, also through a symlink (not when imported by bench.mjs).
if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  const args = process.argv.slice(2);
  const option = (name) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const moduleDir = option('--module-dir') ?? process.env.BAANX_MODULE_DIR ??
    path.resolve(here, '../../build/wasm/module');
  const budget = option('--budget');
  const sizes = measureModule(moduleDir);
  console.log(JSON.stringify(sizes, null, 2));
  if (budget !== undefined) {
    const limit = Number(budget);
    if (!Number.isInteger(limit) || limit <= 0) {
      console.log(`FAIL: --budget must be a positive number of bytes, not "${budget}"`);
      process.exit(2);
    }
    if (sizes.totalGzip > limit) {
      console.log(`FAIL: the module is ${sizes.totalGzip} bytes gzipped, over its budget of ` +
        `${limit} (see tests/bench/README.md before raising it)`);
      process.exit(1);
    }
    console.log(`ok: ${sizes.totalGzip} bytes gzipped, within the budget of ${limit}`);
  }
}
