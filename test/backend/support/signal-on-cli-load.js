'use strict';
/**
 * Preloaded (`node -r`) into the tracehop bin by test/backend/serve-early-signal.test.ts: the process sends
 * itself SIGTERM as the bin starts to load the compiled CLI (dist/harness/cli/main.js), so the signal lands
 * while tracehop loads, every run, with no timing.
 */
const Module = require('node:module');

const load = Module._load;
Module._load = function loadSignallingOnCli(request, ...rest) {
  if (/dist[\\/]harness[\\/]cli[\\/]main(\.js)?$/.test(request)) {
    Module._load = load;
    process.kill(process.pid, 'SIGTERM');
  }
  return load.call(this, request, ...rest);
};
