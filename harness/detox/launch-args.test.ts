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
