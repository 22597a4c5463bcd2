// The default: the package finds its .wasm beside itself (new URL('baanx-auth.wasm',
// import.meta.url)), which Vite copies into the build under a hashed name.
import * as baanx from 'baanx-auth';
import { expose } from './expose.js';

expose('main', baanx);
