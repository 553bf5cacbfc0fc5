import { parseAppFaultList } from './app-faults';
import { launchArgsFor } from './launch-args';

const backend = {
  urls: {
    services: {
      'api-gateway': 'http://127.0.0.1:40001',
      'payment-api': 'http://127.0.0.1:40002',
      analytics: 'http://127.0.0.1:40009',
    },
    otlp: 'http://127.0.0.1:40100/v1/traces',
  },
};

describe('launchArgsFor', () => {
  it('points the app at the gateway, the OTLP receiver and analytics', () => {
    expect(launchArgsFor(backend)).toEqual({
      tracehopBackendUrl: 'http://127.0.0.1:40001',
      tracehopOtlpUrl: 'http://127.0.0.1:40100/v1/traces',
      tracehopAnalyticsUrl: 'http://127.0.0.1:40009',
    });
  });

  it('leaves out analytics when the backend has none', () => {
    const { analytics: _analytics, ...services } = backend.urls.services;
    expect(launchArgsFor({ urls: { ...backend.urls, services } })).toEqual({
      tracehopBackendUrl: 'http://127.0.0.1:40001',
      tracehopOtlpUrl: 'http://127.0.0.1:40100/v1/traces',
    });
  });

  it('uses the named gateway and analytics services of another topology', () => {
    expect(launchArgsFor(backend, { gateway: 'payment-api', analytics: 'api-gateway' })).toEqual({
      tracehopBackendUrl: 'http://127.0.0.1:40002',
      tracehopOtlpUrl: 'http://127.0.0.1:40100/v1/traces',
      tracehopAnalyticsUrl: 'http://127.0.0.1:40001',
    });
  });

  it('names the missing gateway and the services it has', () => {
    expect(() => launchArgsFor(backend, { gateway: 'edge' })).toThrow(
      '[tracehop] Failed to build the app launch args: the backend has no "edge" service (it has: api-gateway, payment-api, analytics). ' +
        'Pass { gateway: "<service the app calls first>" } as the second argument.',
    );
  });

  it('names an analytics service the caller gave that the backend lacks, instead of leaving it out', () => {
    expect(() => launchArgsFor(backend, { analytics: 'analytic' })).toThrow(
      '[tracehop] Failed to build the app launch args: the backend has no "analytic" service (it has: api-gateway, payment-api, analytics). ' +
        'Pass { analytics: "<third-party service>" } naming one of them, or leave it out.',
    );
  });
});

describe('launchArgsFor with app faults', () => {
  it('passes the app faults as one comma-separated launch argument, each name once', () => {
    expect(launchArgsFor(backend, { appFaults: ['gateway-not-first-party', 'b3-only', 'b3-only'] })).toEqual({
      tracehopBackendUrl: 'http://127.0.0.1:40001',
      tracehopOtlpUrl: 'http://127.0.0.1:40100/v1/traces',
      tracehopAnalyticsUrl: 'http://127.0.0.1:40009',
      tracehopAppFaults: 'gateway-not-first-party,b3-only',
    });
  });

  it('leaves the argument out when no app fault is on', () => {
    expect(launchArgsFor(backend, { appFaults: [] })).not.toHaveProperty('tracehopAppFaults');
  });

  it('refuses a name that is not an app fault, listing the valid ones', () => {
    expect(() => launchArgsFor(backend, { appFaults: ['b3-ony' as never] })).toThrow(
      '[tracehop] Failed to build the app launch args: "b3-ony" is not an app fault. Use one of: gateway-not-first-party, trace-per-request, replay-loses-context, b3-only, unsampled-root, double-inject.',
    );
  });
});

describe('parseAppFaultList', () => {
  it('reads names, trimmed, each once; empty text is no fault', () => {
    expect(parseAppFaultList(' trace-per-request , double-inject,trace-per-request', 'TRACEHOP_APP_FAULTS')).toEqual({
      ok: true,
      value: ['trace-per-request', 'double-inject'],
    });
    expect(parseAppFaultList('', 'TRACEHOP_APP_FAULTS')).toEqual({ ok: true, value: [] });
  });

  it('names the misspelt fault and every valid name', () => {
    expect(parseAppFaultList('gateway-not-first-party,unsampled', 'TRACEHOP_APP_FAULTS')).toEqual({
      ok: false,
      reason: 'unknown-app-fault',
      message:
        '[tracehop] Failed to read TRACEHOP_APP_FAULTS: "unsampled" is not an app fault. Use one of: gateway-not-first-party, trace-per-request, replay-loses-context, b3-only, unsampled-root, double-inject.',
    });
  });
});
