/**
 * The `tracehop` command line (bin/tracehop.js runs `main` from the build). Each command is also callable
 * with its own arguments and an injected CliIo, which is how the tests drive it.
 */
export { main } from './main';
export { runCheck } from './check';
export { runReport } from './report';
export { runServe } from './serve';
export { EXIT_DEFECTS, EXIT_OK, EXIT_UNUSABLE, processIo } from './io';

export type { CliIo } from './io';
