// locateFile answering with the URL Vite gives the package's own "./baanx-auth.wasm" export,
// imported with ?url.
import * as baanx from 'baanx-auth';
import wasmUrl from 'baanx-auth/baanx-auth.wasm?url';
import { expose } from './expose.js';

expose('wasm-url', baanx, { locateFile: () => wasmUrl }, { wasmUrl });
