'use strict';
/**
 * The faults generate.js injects, and what `tracehop check` should say of each run (README, "The words for
 * defects" and "Check a dump offline"): the run's trace, its problem kinds, the service a problem names, and
 * the trace that problem is reported in.
 */

/** The faults the untraced proxy between api-gateway and its callee injects into the trace headers. */
const FAULTS_AT_PROXY = ['drop-traceparent', 'rewrite-parent', 'drop-tracestate', 'unsampled'];

/**
 * What check --journeys and check --expect (the checkout chain) should say of a run: `journeys` and `expect`
 * each { runTrace, kinds, service, problemTrace }, or null where that check has no run for it (--expect
 * knows no login, and takes a retry or replay sent from a new trace for a run of its own that passed).
 * `traces` maps each service to the trace it served the run in.
 */
function expectation(result, traces) {
  const runTrace = result.traceId;
  const sound = { runTrace, kinds: [], service: '', problemTrace: '' };
  const problem = (kinds, service, problemTrace = runTrace) => ({ runTrace, kinds, service, problemTrace });
  const callee = result.journey === 'login' ? 'auth-service' : 'payment-api';
  let journeys;
  switch (result.fault) {
    case 'drop-traceparent':
      journeys = problem(['broken-chain'], callee, traces[callee] || '');
      break;
    case 'rewrite-parent':
      journeys = problem(['orphan-span'], 'payment-api');
      break;
    case 'drop-tracestate':
      journeys = problem(['header-span-mismatch'], 'payment-api');
      break;
    case 'unsampled':
      journeys = problem(['missing-service'], 'payment-api');
      break;
    case 'gateway-refused':
      journeys = problem(['missing-service'], 'payment-api');
      break;
    case 'callee-sampled-out':
      journeys = problem(['missing-service'], 'fraud-service');
      break;
    case 'retry-503-lost':
    case 'replay-lost':
      journeys = problem(['broken-chain'], 'mobile-app', traces['api-gateway'] || '');
      break;
    default:
      journeys = sound;
  }
  /** @type {typeof journeys | null} */
  let expect = journeys;
  if (result.journey === 'login') expect = null;
  else if (result.fault === 'retry-503-lost' || result.fault === 'replay-lost')
    expect = { ...sound, runTrace: traces['api-gateway'] || '' };
  return { journeys, expect };
}

module.exports = { expectation, FAULTS_AT_PROXY };
