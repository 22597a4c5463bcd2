# Shared by toolchain/demo and toolchain/test: install what a fresh Debian 12 machine lacks, then
# build the native tree (mock server, tests) and the WebAssembly module. Source it; don't run it.
set -euo pipefail

BAANX_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BAANX_NATIVE_BUILD="$BAANX_ROOT/build/native"
BAANX_WASM_BUILD="$BAANX_ROOT/build/wasm"
BAANX_ASAN_BUILD="$BAANX_ROOT/build/asan"
BAANX_MODULE_DIR="$BAANX_WASM_BUILD/module"
# Debian's Emscripten needs its acorn from /usr/share/nodejs; the machine's Node does not look there.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}

BAANX_APT_PACKAGES=(
  cmake ninja-build g++ pkg-config git
  emscripten               # em++ 3.1.6 with clang-14, binaryen
  nlohmann-json3-dev       # JSON for the core and the mock server
  libcpp-httplib-dev       # HTTP for the mock server and the native loopback transport
  libgtest-dev libgmock-dev
  clang-14 libclang-rt-14-dev   # sanitizers (ASan, LSan, UBSan) and libFuzzer
  clang-format
  clang-tidy-14            # static analysis (toolchain/tidy, ctest lint.clang-tidy)
  chromium                 # headless browser for the WASM and demo page tests
  wrk                      # load test of the mock server
  esbuild                  # minifies the built module (src/wasm/CMakeLists.txt)
  nodejs npm
)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

baanx_install_deps() {
  local missing=()
  for pkg in "${BAANX_APT_PACKAGES[@]}"; do
    # npm ships inside nodesource's nodejs on some machines: skip packages whose command exists.
    case "$pkg" in
      nodejs) command -v node >/dev/null && continue ;;
      npm) command -v npm >/dev/null && continue ;;
    esac
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "Installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      "${missing[@]}" >/dev/null
  fi
  # Again whenever the lockfile is newer than what npm last installed (a package was added).
  if [ ! -f "$BAANX_ROOT/tests/node_modules/.package-lock.json" ] ||
    [ "$BAANX_ROOT/tests/package-lock.json" -nt "$BAANX_ROOT/tests/node_modules/.package-lock.json" ]; then
    log "Installing npm packages for the browser and package tests (pinned by tests/package-lock.json)"
    (cd "$BAANX_ROOT/tests" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

baanx_build_native() {
  log "Building native (mock server, transports, tests) in build/native"
  cmake -S "$BAANX_ROOT" -B "$BAANX_NATIVE_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DBAANX_WARNINGS_AS_ERRORS=ON -DBAANX_MODULE_DIR="$BAANX_MODULE_DIR" >/dev/null
  cmake --build "$BAANX_NATIVE_BUILD" "$@"
}

baanx_build_wasm() {
  log "Building the WebAssembly module in build/wasm"
  emcmake cmake -S "$BAANX_ROOT" -B "$BAANX_WASM_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node -DBAANX_WARNINGS_AS_ERRORS=ON >/dev/null
  cmake --build "$BAANX_WASM_BUILD"
}

baanx_build_asan() {
  log "Building native tests and fuzzers with ASan+LSan+UBSan (clang-14) in build/asan"
  (cd "$BAANX_ROOT" && cmake --preset native-asan >/dev/null)
  cmake --build "$BAANX_ASAN_BUILD"
}

# Fails (returns 1) when the file holds the fixture password, the client key or an access token
# (US_<uuid>) anywhere, however many lines do, and when it cannot be read; prints how many lines
# do and the first five, masked.
baanx_scan_secrets() {
  local file=$1 pattern='Demo-Passw0rd!|demo-client-key|US_[0-9a-fA-F]{8}-[0-9a-fA-F]{4}'
  local count status=0
  count=$(grep -cE "$pattern" "$file") || status=$?
  if [ "$status" -gt 1 ]; then
    log "FAILED: could not scan $file for secrets"
    return 1
  fi
  if [ "$count" -gt 0 ]; then
    # grep stops after five lines by itself: nothing downstream closes the pipe on it.
    grep -m 5 -nE "$pattern" "$file" | sed -E 's/(Demo-Passw0rd!|demo-client-key|US_[0-9a-fA-F-]+)/<SECRET>/g'
    log "FAILED: a secret appears on $count lines of the test output (the first above, masked)"
    return 1
  fi
  log "No secret in the $(wc -l <"$file") lines of test output"
}
