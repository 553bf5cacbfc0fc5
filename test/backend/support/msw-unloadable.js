'use strict';
/**
 * Preloaded (`node -r`) into the tracehop bin by test/backend/serve-msw-unloadable.test.ts: msw fails to load as
 * it does under Yarn 4's Plug'n'Play (its ESM-only dependency rettime read from a zip archive), and
 * `process.versions.pnp` is set, as Yarn's .pnp.cjs sets it.
 */
const Module = require('node:module');

Object.defineProperty(process.versions, 'pnp', { value: '3', enumerable: true });
const load = Module._load;
Module._load = function loadWithoutMsw(request, ...rest) {
  if (request === 'msw') {
    throw new Error(
      "Cannot find module '/cache/rettime-npm-0.11.13-22bfd23e34-10c0.zip/node_modules/rettime/build/lens-list.mjs'",
    );
  }
  return load.call(this, request, ...rest);
};
