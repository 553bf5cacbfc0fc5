import { failure } from '../internal/messages';
import type { Failure } from '../internal/result';
import { APP_HOP_CAUSES, type AppHopCause } from '../model';

/**
 * Faults the sample app can switch on in its own code (launch argument `tracehopAppFaults`): each breaks the
 * app -> gateway hop the way apps break it in the field. The app keeps its own switch logic
 * (fixtures/sample-app/src/config/app-faults.ts); this list is what the e2e script and launchArgsFor accept.
 */
export const APP_FAULT_CAUSES: Readonly<Record<AppHopCause, string>> = APP_HOP_CAUSES;

/** An app fault: one of {@link APP_FAULT_NAMES}. */
export type AppFaultName = AppHopCause;

/** Every app fault name, in the order of the README's fault table. */
export const APP_FAULT_NAMES = Object.keys(APP_FAULT_CAUSES) as AppFaultName[];

/** The launch argument (a query parameter on web) that carries the app faults, comma separated. */
export const APP_FAULTS_LAUNCH_ARG = 'tracehopAppFaults';

/** The app faults named, or `unknown-app-fault` for a name that is none. */
export type AppFaultListResult = { ok: true; value: AppFaultName[] } | Failure<'unknown-app-fault'>;

/** Narrows a string to an app fault name. */
export function isAppFaultName(name: string): name is AppFaultName {
  return Object.prototype.hasOwnProperty.call(APP_FAULT_CAUSES, name);
}

/**
 * Parses "name,name" (TRACEHOP_APP_FAULTS). Empty text means no faults; a repeated name counts once.
 * @example parseAppFaultList('gateway-not-first-party', 'TRACEHOP_APP_FAULTS') // { ok: true, value: ['gateway-not-first-party'] }
 */
export function parseAppFaultList(text: string, label: string): AppFaultListResult {
  const value: AppFaultName[] = [];
  for (const name of text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')) {
    if (!isAppFaultName(name)) {
      return {
        ok: false,
        reason: 'unknown-app-fault',
        message: failure(
          `read ${label}`,
          `"${name}" is not an app fault`,
          `Use one of: ${APP_FAULT_NAMES.join(', ')}.`,
        ),
      };
    }
    if (!value.includes(name)) value.push(name);
  }
  return { ok: true, value };
}
