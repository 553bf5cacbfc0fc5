import { readAppConfig } from '../../fixtures/sample-app/src/config/app-config';

const HINT =
  'Launch the app with tracehopBackendUrl=http://127.0.0.1:<port> (and tracehopOtlpUrl, tracehopAnalyticsUrl) as Detox launchArgs or, on web, as query parameters.';

describe('readAppConfig', () => {
  test('reads all three URLs and drops trailing slashes', () => {
    expect(
      readAppConfig({
        tracehopBackendUrl: 'http://127.0.0.1:4000/',
        tracehopOtlpUrl: 'http://127.0.0.1:4001/v1/traces',
        tracehopAnalyticsUrl: 'http://127.0.0.1:4002',
      }),
    ).toEqual({
      ok: true,
      value: {
        backendUrl: 'http://127.0.0.1:4000',
        otlpUrl: 'http://127.0.0.1:4001/v1/traces',
        analyticsUrl: 'http://127.0.0.1:4002',
      },
    });
  });

  test('leaves the optional URLs out when they are absent or empty', () => {
    expect(readAppConfig({ tracehopBackendUrl: 'http://localhost:4000', tracehopOtlpUrl: '' })).toEqual({
      ok: true,
      value: { backendUrl: 'http://localhost:4000' },
    });
  });

  test.each([
    [{}, `Failed to read the launch arguments: tracehopBackendUrl is missing. ${HINT}`],
    [
      { tracehopBackendUrl: 4000 },
      `Failed to read the launch arguments: tracehopBackendUrl must be a URL string, got number. ${HINT}`,
    ],
    [
      { tracehopBackendUrl: 'localhost:4000' },
      `Failed to read the launch arguments: tracehopBackendUrl must be an absolute http(s) URL, got "localhost:4000". ${HINT}`,
    ],
    [
      { tracehopBackendUrl: 'http://localhost:4000', tracehopOtlpUrl: 'grpc://localhost:4317' },
      `Failed to read the launch arguments: tracehopOtlpUrl must be an absolute http(s) URL, got "grpc://localhost:4317". ${HINT}`,
    ],
  ])('explains a bad configuration %j', (args, message) => {
    expect(readAppConfig(args)).toEqual({ ok: false, message });
  });
});
