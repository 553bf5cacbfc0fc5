/**
 * The `tracehop` command line (bin/tracehop.js runs `main` from the build). Each command is also callable
 * with its own arguments and an injected CliIo, which is how the tests drive it.
 */
export { main } from './main';
export { runCheck } from './check';
export { runReport } from './report';
export { runServe } from './serve';
export { EXIT_DEFECTS, EXIT_OK, EXIT_UNUSABLE, processIo } from './io';
// Each command's option table, as its parser reads it (test/package/readme-cli.test.ts holds `--help` and README to them).
export { CHECK_OPTIONS } from './check';
export { INIT_OPTIONS } from './init';
export { REPORT_OPTIONS } from './report';
export { SERVE_OPTIONS } from './serve';

export type { CliIo } from './io';
export type { OptionTable } from './command-line';
