#!/usr/bin/env bash
# Builds check.cpp with src/wasm/libc_lean.cpp under Emscripten, runs it in Node and compares its
# output with expected.txt (glibc's answers to the same cases); check.cpp itself fails when a
# format libc_lean does not support is not refused safely.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
em++ -std=c++17 -Oz -flto -fno-exceptions -I"$here" "$here/check.cpp" "$root/src/wasm/libc_lean.cpp" \
  -sSINGLE_FILE=1 -o "$work/check.js"
status=0
node "$work/check.js" > "$work/actual.txt" || status=$?
grep '^FAIL' "$work/actual.txt" || true
grep -v '^FAIL' "$work/actual.txt" > "$work/compared.txt" || true
if [ "$status" -ne 0 ]; then
  echo "FAIL: libc_lean.cpp does not fail safely on what it does not support (above)"
  exit 1
fi
if diff -u "$here/expected.txt" "$work/compared.txt"; then
  echo "libc_lean: $(wc -l < "$here/expected.txt") cases match glibc"
else
  echo "FAIL: libc_lean.cpp differs from glibc (above)"
  exit 1
fi
