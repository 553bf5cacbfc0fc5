/**
 * Detox is an optional peer dependency: only `tracehop/detox/environment` and `tracehop/detox/web-driver`
 * need it, and they load it when they load. Loading it here lets them say what to install instead of
 * "Cannot find module".
 */
import { appDevInstallCommand } from '../../internal/install-command';
import { isMissingModule } from '../../internal/missing-module';
import { failure, TracehopError } from '../../internal/messages';

/** The major version tracehop is tested with (package.json peerDependencies: ^20). */
export const DETOX_MAJOR = '20';

/**
 * Why Detox could not be loaded for `entry`, as a user-facing message; `install` is the app's package manager's
 * command (`pnpm add --save-dev`, ...).
 */
export function missingDetoxMessage(entry: string, cause: string, install = appDevInstallCommand()): string {
  return failure(
    `load detox for ${entry}`,
    cause,
    `Install it beside tracehop: ${install} detox@${DETOX_MAJOR} (tracehop works with detox ^${DETOX_MAJOR}).`,
  );
}

/** "detox 19.4.0" (or just "detox") when `load` finds a detox package; undefined when it finds none. */
function installedDetox(load: (id: string) => unknown): string | undefined {
  let manifest: unknown;
  try {
    manifest = load('detox/package.json');
  } catch {
    return undefined;
  }
  const version = (manifest as { version?: unknown } | null)?.version;
  return typeof version === 'string' ? `detox ${version}` : 'detox';
}

/**
 * The Detox module `id` (e.g. `detox/runners/jest`), which the package entry `entry` needs. Throws a
 * TracehopError saying what to install when `id` itself is missing: detox is not installed, or a detox that
 * has no such module is. Any other error (a module missing inside detox, ...) goes out unchanged.
 */
export function requireDetox<T>(id: string, entry: string, load: (id: string) => unknown = require): T {
  try {
    return load(id) as T;
  } catch (error) {
    if (!isMissingModule(error, id)) throw error;
    const installed = installedDetox(load);
    const cause = installed === undefined ? 'the package is not installed' : `the installed ${installed} has no ${id}`;
    throw new TracehopError(missingDetoxMessage(entry, cause));
  }
}
