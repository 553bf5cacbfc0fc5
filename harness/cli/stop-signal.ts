/** How `tracehop serve` learns to stop: SIGINT (Ctrl-C) or SIGTERM. */

/**
 * Resolves when the process gets SIGINT or SIGTERM. Once called, either signal no longer kills the process:
 * the caller stops its servers and exits 0. bin/tracehop.js calls it for `serve` before it loads the CLI, so a
 * signal while the CLI or the mock backend loads, or the backend starts, stops it cleanly too.
 */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((done) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      done(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
