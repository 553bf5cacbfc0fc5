#!/usr/bin/env node
'use strict';
// Runs the compiled CLI: no type-checking compile on every call, so `tracehop check` starts fast.
let main;
let serveStopped;
try {
  // `serve` runs until SIGINT or SIGTERM. Listened for before the CLI loads, so one that comes meanwhile stops
  // it cleanly (exit 0) instead of Node's default of dying with 130 or 143. (One that comes while Node itself
  // starts, before this line, still kills it: no JavaScript runs then.)
  if (process.argv[2] === 'serve') serveStopped = require('../dist/harness/cli/stop-signal.js').untilSignal();
  main = require('../dist/harness/cli/main.js').main;
} catch (error) {
  if (
    error &&
    error.code === 'MODULE_NOT_FOUND' &&
    /dist[\\/]harness[\\/]cli[\\/](main|stop-signal)/.test(String(error.message))
  ) {
    process.stderr.write(
      '[tracehop] Failed to start: the compiled CLI is missing (dist/). Run "npm run build" in the tracehop package.\n',
    );
    process.exit(2);
  }
  throw error;
}
main(process.argv.slice(2), undefined, serveStopped).then(
  (code) => {
    // A failed write to stdout may have set exit code 2 already (harness/cli/io.ts); keep the worse one.
    process.exitCode = Math.max(Number(process.exitCode ?? 0), code);
  },
  (error) => {
    process.stderr.write(
      `[tracehop] Failed to run: ${error && error.message ? error.message : String(error)}. This is a tracehop bug; please report it.\n`,
    );
    process.exitCode = 2;
  },
);
