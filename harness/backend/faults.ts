import { failure } from '../internal/messages';
import type { Failure } from '../internal/result';
import { FAULT_NAMES, HOP_CAUSES, HOP_FIXES, isFaultName, withFix, type FaultName } from '../model';
import type { Topology } from './topology';

// The fault names and their causes are the capture contract, shared with the capture checks: see model/.
export { FAULT_NAMES, isFaultName, type FaultName };

/**
 * What a misbehaving proxy or SDK does to the trace headers a service sends downstream (docs/ARCHITECTURE.md
 * "Faults"). Each entry says, in plain words, the real-world cause a verdict names.
 */
export const FAULT_CAUSES: Readonly<Record<FaultName, string>> = HOP_CAUSES;

/** One fault switched on for one service (it changes what that service sends downstream). */
export interface FaultSetting {
  readonly service: string;
  readonly fault: FaultName;
}

/** Why a fault list is refused: a name that is no service or no fault, two faults on one service, a bad pair. */
export type FaultListReason = 'unknown-service' | 'unknown-fault' | 'two-faults' | 'not-a-pair';

/** What {@link parseFaultList} returns: a fault per service, or the reason and message the list was refused. */
export type FaultListResult = { ok: true; value: FaultSetting[] } | Failure<FaultListReason>;

/**
 * Checks fault settings against the topology's service names.
 * @example validateFaults([{ service: 'api-gateway', fault: 'drop-traceparent' }], ['api-gateway'])
 */
export function validateFaults(
  settings: readonly { service: string; fault: string }[],
  services: readonly string[],
  label = 'the fault list',
): FaultListResult {
  const value: FaultSetting[] = [];
  for (const { service, fault } of settings) {
    if (!services.includes(service)) {
      return {
        ok: false,
        reason: 'unknown-service',
        message: failure(`apply ${label}`, `there is no service "${service}"`, `Use one of: ${services.join(', ')}.`),
      };
    }
    if (!isFaultName(fault)) {
      return {
        ok: false,
        reason: 'unknown-fault',
        message: failure(`apply ${label}`, `"${fault}" is not a fault`, `Use one of: ${FAULT_NAMES.join(', ')}.`),
      };
    }
    // One fault per service: keeping only the last of two would silently drop the other.
    const earlier = value.find((setting) => setting.service === service);
    if (earlier && earlier.fault !== fault) {
      return {
        ok: false,
        reason: 'two-faults',
        message: failure(
          `apply ${label}`,
          `${service} is given two faults (${earlier.fault} and ${fault})`,
          'A service takes one fault at a time: keep one.',
        ),
      };
    }
    if (!earlier) value.push({ service, fault });
  }
  return { ok: true, value };
}

/**
 * Parses "service:fault,service:fault" (from --faults or TRACEHOP_FAULTS). Empty text means no faults.
 * @example parseFaultList('api-gateway:drop-traceparent', ['api-gateway'], '--faults')
 */
export function parseFaultList(text: string, services: readonly string[], label: string): FaultListResult {
  const pairs: { service: string; fault: string }[] = [];
  for (const item of text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')) {
    const colon = item.indexOf(':');
    if (colon <= 0 || colon === item.length - 1) {
      return {
        ok: false,
        reason: 'not-a-pair',
        message: failure(
          `read ${label}`,
          `"${item}" is not a service:fault pair`,
          'Write pairs such as "api-gateway:drop-traceparent", comma separated.',
        ),
      };
    }
    pairs.push({ service: item.slice(0, colon), fault: item.slice(colon + 1) });
  }
  return validateFaults(pairs, services, label);
}

/**
 * The verdict sentence for a fault on a hop.
 * @example describeFault('payment-api', 'fraud-service', 'drop-traceparent')
 *   // "payment-api sent no traceparent to fraud-service: a proxy or SDK between them drops the header"
 */
export function describeFault(service: string, downstream: string, fault: FaultName): string {
  const what: Record<FaultName, string> = {
    'drop-traceparent': `${service} sent no traceparent to ${downstream}`,
    'new-trace': `${service} sent ${downstream} a traceparent for a new trace`,
    'uppercase-traceparent': `${service} sent ${downstream} an uppercase traceparent`,
    'rewrite-parent': `${service} sent ${downstream} a traceparent naming a parent span it never exported`,
    'duplicate-traceparent': `${service} sent ${downstream} two traceparent headers`,
    'b3-only': `${service} sent ${downstream} B3 headers and no traceparent`,
    unsampled: `${service} sent ${downstream} a traceparent with the sampled flag cleared`,
    'strip-tracestate': `${service} sent no tracestate to ${downstream}`,
    'strip-baggage': `${service} sent no baggage to ${downstream}`,
    'cors-omits-trace-headers': `${service}'s CORS preflight answer did not allow the trace headers`,
    'redirect-drops-headers': `${service}'s call to ${downstream} was redirected (307) and followed without the trace headers`,
  };
  return withFix(HOP_FIXES[fault], `${what[fault]}: ${FAULT_CAUSES[fault]}`);
}

/**
 * One warning per fault set on a service that calls no other service: a fault only changes what a service
 * sends downstream, so such a fault leaves every journey green while its author expects a break.
 * @example faultsWithoutEffect([{ service: 'fraud-service', fault: 'drop-traceparent' }], DEFAULT_TOPOLOGY)
 */
export function faultsWithoutEffect(settings: readonly FaultSetting[], topology: Topology): string[] {
  const warnings: string[] = [];
  for (const { service, fault } of settings) {
    // This one changes what the service answers a browser's preflight, not what it sends downstream.
    if (fault === 'cors-omits-trace-headers') continue;
    const routes = topology.services.find((entry) => entry.name === service)?.routes ?? [];
    if (routes.some((route) => route.calls.length > 0)) continue;
    const callers = topology.services
      .filter((entry) => entry.routes.some((route) => route.calls.some((call) => call.service === service)))
      .map((entry) => entry.name);
    const hint =
      callers.length > 0
        ? `To break the hop into ${service}, set the fault on its caller: ${callers.map((caller) => `${caller}:${fault}`).join(' or ')}.`
        : 'Set it on a service that calls another.';
    const cause = `${service} calls no other service, and a fault only changes what a service sends downstream (its /__tracehop/w3c calls aside), so no journey changes`;
    warnings.push(failure(`apply the fault ${service}:${fault}`, cause, hint));
  }
  return warnings;
}
