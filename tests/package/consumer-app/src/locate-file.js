// locateFile pointing at a copy of the .wasm that the app hosts itself (public/vendor/, copied
// there from the installed package), as one would for a CDN.
import * as baanx from 'baanx-auth';
import { expose } from './expose.js';

const located = [];
const locateFile = (path, scriptDirectory) => {
  located.push({ path, scriptDirectory });
  return `/vendor/${path}`;
};
expose('locate-file', baanx, { locateFile }, { located });
