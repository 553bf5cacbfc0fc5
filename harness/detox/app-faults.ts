import { failure } from '../internal/messages';

/**
 * Faults the sample app can switch on in its own code (launch argument `tracehopAppFaults`): each breaks the
 * app -> gateway hop the way apps break it in the field. The app keeps its own switch logic
 * (fixtures/sample-app/src/config/app-faults.ts); this list is what the e2e script and launchArgsFor accept.
 */
export const APP_FAULT_CAUSES = {
  'gateway-not-first-party': "the gateway's origin is missing from the SDK's propagation allow-list",
  'trace-per-request': 'the SDK starts a new trace for every request instead of continuing the journey span',
  'replay-loses-context': "the offline queue replays the request outside its original journey's context",
  'b3-only': 'the app injects only B3 headers while the backend reads W3C traceparent',
  'unsampled-root': "the app's sampler drops its roots (sampled=0) but the app still exports spans and sends headers",
  'double-inject': 'two instrumentations in the app each inject a traceparent',
} as const;

export type AppFaultName = keyof typeof APP_FAULT_CAUSES;

/** Every app fault name, in the order of the README's fault table. */
export const APP_FAULT_NAMES = Object.keys(APP_FAULT_CAUSES) as AppFaultName[];

/** The launch argument (a query parameter on web) that carries the app faults, comma separated. */
export const APP_FAULTS_LAUNCH_ARG = 'tracehopAppFaults';

export type AppFaultListResult = { ok: true; value: AppFaultName[] } | { ok: false; message: string };

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
