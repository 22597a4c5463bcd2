// Build step: prints a JS file without its comments and indentation (api.js is appended to the
// Emscripten output as it is, after Emscripten's own minifier has run). Tokens keep their order
// and their line breaks, so automatic semicolon insertion sees what it saw before; runs of spaces
// between tokens on one line become one space, and spaces next to punctuation are dropped.
// Usage: node strip_js.mjs IN OUT   (acorn comes from Debian's node-acorn, as Emscripten's does)
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const acorn = require(process.env.BAANX_ACORN ?? '/usr/share/nodejs/acorn');
const [input, output] = process.argv.slice(2);
const source = readFileSync(input, 'utf8');
const wordy = /[\p{L}\p{N}_$#\\]/u;
let out = '';
let last = null;
for (const token of acorn.tokenizer(source, { ecmaVersion: 'latest', sourceType: 'module' })) {
  const text = source.slice(token.start, token.end);
  if (last !== null) {
    const gap = source.slice(last.end, token.start);
    const between = gap.replace(/\/\*[\s\S]*?\*\//g, (c) => (c.includes('\n') ? '\n' : ' '))
      .replace(/\/\/[^\n]*/g, '');
    if (between.includes('\n')) {
      out += '\n';
    } else if (/\s/.test(between)) {
      const before = out[out.length - 1];
      const after = text[0];
      // Keep a space only where dropping it could join two tokens: words, or + + and - -.
      if ((wordy.test(before) && wordy.test(after)) || (before === after && '+-'.includes(after))) {
        out += ' ';
      }
    }
  }
  out += text;
  last = token;
}
writeFileSync(output, out + '\n');
