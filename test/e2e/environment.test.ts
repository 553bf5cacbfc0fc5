/**
 * tracehop/detox/environment (re-exported by e2e/support/environment.ts), the test environment every spec
 * file runs in, on a fake Android device:
 * Detox's own environment is replaced by a stand-in that only hands out the device, so what is checked
 * is our wrapper: its own backend, the launch args, and adb reversal of every backend port.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Backend } from '../../harness/backend';
import { TEST_PATH_GLOBAL } from '../../harness/jest';
import { BACKEND_GLOBAL, JOURNEYS_FILE_GLOBAL, PENDING_JOURNEYS_GLOBAL } from '../../harness/detox';
import { scratchDir } from '../../harness/test-support/scratch-dir';

interface FakeDevice {
  readonly calls: string[];
  readonly launchArgs: Record<string, unknown>[];
}

jest.mock('detox/runners/jest', () => {
  class FakeDetoxEnvironment {
    readonly global: Record<string, unknown> = {};
    constructor(_config: unknown, _context: unknown) {}
    async setup(): Promise<void> {
      const calls: string[] = [];
      const launchArgs: Record<string, unknown>[] = [];
      this.global.device = {
        calls,
        launchArgs,
        getPlatform: () => process.env.FAKE_DETOX_PLATFORM as string,
        reverseTcpPort: async (port: number) => void calls.push(`reverse ${port}`),
        unreverseTcpPort: async (port: number) => void calls.push(`unreverse ${port}`),
        appLaunchArgs: { modify: (args: Record<string, unknown>) => void launchArgs.push(args) },
      };
    }
    async teardown(): Promise<void> {}
    async handleTestEvent(_event: unknown, _state: unknown): Promise<void> {}
  }
  return { DetoxCircusEnvironment: FakeDetoxEnvironment };
});

// Jest's testEnvironment loader takes the module's default export.
const Environment = (require('../../e2e/support/environment') as { default: unknown }).default as new (
  config: unknown,
  context: unknown,
) => {
  global: Record<string, unknown>;
  setup(): Promise<void>;
  teardown(): Promise<void>;
  handleTestEvent(event: unknown, state: unknown): Promise<void>;
};

/** Every port in a backend's URLs, from the URLs themselves. */
function portsOf(backend: Backend): number[] {
  const urls = [...Object.values(backend.urls.services), backend.urls.otlp, backend.urls.spans];
  return [...new Set(urls.map((url) => Number(new URL(url).port)))].sort((a, b) => a - b);
}

describe('the e2e test environment', () => {
  afterEach(() => {
    delete process.env.FAKE_DETOX_PLATFORM;
  });

  it('on Android starts its own backend, passes its URLs as launch args, reverses every port and undoes each', async () => {
    process.env.FAKE_DETOX_PLATFORM = 'android';
    const environment = new Environment(
      { projectConfig: {}, globalConfig: {} },
      { testPath: '/specs/checkout.e2e.ts' },
    );
    expect(environment.global[TEST_PATH_GLOBAL]).toBe('/specs/checkout.e2e.ts');
    await environment.setup();
    const backend = environment.global[BACKEND_GLOBAL] as Backend;
    const device = environment.global.device as FakeDevice;
    const ports = portsOf(backend);
    // Seven services and the OTLP receiver, each on its own port.
    expect(ports).toHaveLength(Object.keys(backend.urls.services).length + 1);
    expect(device.launchArgs).toEqual([
      {
        tracehopBackendUrl: backend.urls.services['api-gateway'],
        tracehopOtlpUrl: backend.urls.otlp,
        tracehopAnalyticsUrl: backend.urls.services.analytics,
      },
    ]);
    expect(device.calls).toEqual(ports.map((port) => `reverse ${port}`));

    await environment.teardown();
    expect(device.calls).toEqual([
      ...ports.map((port) => `reverse ${port}`),
      ...ports.map((port) => `unreverse ${port}`),
    ]);
    // The backend is stopped: its gateway no longer answers.
    await expect(fetch(`${backend.urls.services['api-gateway']}/login`, { method: 'POST' })).rejects.toThrow(
      'fetch failed',
    );
  });

  it("stops its backend when adb cannot undo a reversal (the emulator died), and fails the teardown with adb's error", async () => {
    process.env.FAKE_DETOX_PLATFORM = 'android';
    const environment = new Environment({ projectConfig: {}, globalConfig: {} }, { testPath: '/specs/login.e2e.ts' });
    await environment.setup();
    const backend = environment.global[BACKEND_GLOBAL] as Backend;
    const device = environment.global.device as { unreverseTcpPort(port: number): Promise<void> };
    device.unreverseTcpPort = async () => {
      throw new Error("adb: device 'emulator-5554' not found");
    };
    await expect(environment.teardown()).rejects.toThrow("adb: device 'emulator-5554' not found");
    // Its listeners are closed all the same: left open, they would keep Jest from exiting.
    await expect(fetch(`${backend.urls.services['api-gateway']}/login`, { method: 'POST' })).rejects.toThrow(
      'fetch failed',
    );
  });

  it("tells journey() the tracehop reporter's journeys file, resolved against rootDir", () => {
    const reporters = [
      'default',
      ['detox/runners/jest/reporter', {}],
      ['/app/node_modules/tracehop/dist/harness/jest/reporter.js', { journeysFile: 'e2e/journeys.json' }],
    ];
    const environment = new Environment(
      { projectConfig: {}, globalConfig: { rootDir: '/app', reporters } },
      { testPath: '/app/e2e/checkout.e2e.ts' },
    );
    expect(environment.global[JOURNEYS_FILE_GLOBAL]).toBe('/app/e2e/journeys.json');
    const without = new Environment(
      { projectConfig: {}, globalConfig: { rootDir: '/app', reporters: ['default'] } },
      { testPath: '/app/e2e/checkout.e2e.ts' },
    );
    expect(without.global[JOURNEYS_FILE_GLOBAL]).toBeUndefined();
  });

  it('on the web reverses nothing: the browser shares the host loopback', async () => {
    process.env.FAKE_DETOX_PLATFORM = 'web';
    const environment = new Environment({ projectConfig: {}, globalConfig: {} }, { testPath: '/specs/login.e2e.ts' });
    await environment.setup();
    const device = environment.global.device as FakeDevice;
    await environment.teardown();
    expect(device.calls).toEqual([]);
  });

  it('passes TRACEHOP_APP_FAULTS to the app as the launch argument tracehopAppFaults', async () => {
    process.env.FAKE_DETOX_PLATFORM = 'web';
    process.env.TRACEHOP_APP_FAULTS = 'gateway-not-first-party, double-inject';
    try {
      const environment = new Environment({ projectConfig: {}, globalConfig: {} }, { testPath: '/specs/login.e2e.ts' });
      await environment.setup();
      const backend = environment.global[BACKEND_GLOBAL] as Backend;
      const device = environment.global.device as FakeDevice;
      await environment.teardown();
      expect(device.launchArgs).toEqual([
        {
          tracehopBackendUrl: backend.urls.services['api-gateway'],
          tracehopOtlpUrl: backend.urls.otlp,
          tracehopAnalyticsUrl: backend.urls.services.analytics,
          tracehopAppFaults: 'gateway-not-first-party,double-inject',
        },
      ]);
    } finally {
      delete process.env.TRACEHOP_APP_FAULTS;
    }
  });

  it('refuses a misspelt app fault, listing the valid names, before starting anything', async () => {
    process.env.TRACEHOP_APP_FAULTS = 'b3-ony';
    try {
      const environment = new Environment({ projectConfig: {}, globalConfig: {} }, { testPath: '/specs/login.e2e.ts' });
      await expect(environment.setup()).rejects.toThrow(
        '[tracehop] Failed to read TRACEHOP_APP_FAULTS: "b3-ony" is not an app fault. Use one of: gateway-not-first-party, trace-per-request, replay-loses-context, b3-only, unsampled-root, double-inject.',
      );
      expect(environment.global[BACKEND_GLOBAL]).toBeUndefined();
    } finally {
      delete process.env.TRACEHOP_APP_FAULTS;
    }
  });

  it('serves the topology the Jest config names, faults judged by its services, the app pointed at its first', async () => {
    process.env.FAKE_DETOX_PLATFORM = 'web';
    process.env.TRACEHOP_FAULTS = 'edge:drop-traceparent';
    const dir = scratchDir('tracehop-env-topology-');
    const topology = {
      services: [{ name: 'edge', firstParty: true, routes: [{ method: 'POST', path: '/api/v1/session', calls: [] }] }],
    };
    writeFileSync(join(dir, 'topology.json'), JSON.stringify(topology));
    try {
      const environment = new Environment(
        {
          projectConfig: { testEnvironmentOptions: { tracehop: { topology: 'topology.json' } } },
          globalConfig: { rootDir: dir },
        },
        { testPath: join(dir, 'login.e2e.ts') },
      );
      await environment.setup();
      const backend = environment.global[BACKEND_GLOBAL] as Backend;
      const device = environment.global.device as FakeDevice;
      const answer = await fetch(`${backend.urls.services.edge}/api/v1/session`, { method: 'POST' });
      await answer.text();
      await environment.teardown();
      expect({
        services: Object.keys(backend.urls.services),
        launchArgs: device.launchArgs,
        status: answer.status,
      }).toEqual({
        services: ['edge'],
        launchArgs: [{ tracehopBackendUrl: backend.urls.services.edge, tracehopOtlpUrl: backend.urls.otlp }],
        status: 200,
      });
    } finally {
      delete process.env.TRACEHOP_FAULTS;
    }
  });

  it('fails a test whose function returned while its journey still ran, after Detox has seen the event', async () => {
    process.env.FAKE_DETOX_PLATFORM = 'web';
    const environment = new Environment({ projectConfig: {}, globalConfig: {} }, { testPath: '/specs/login.e2e.ts' });
    await environment.setup();
    try {
      const pending = environment.global[PENDING_JOURNEYS_GLOBAL] as Set<object>;
      pending.add({ name: 'login', observed: () => false, settled: false, reported: false });
      const errors: unknown[] = [];
      await environment.handleTestEvent({ name: 'test_fn_success', test: { name: 'logs in', errors } }, {});
      expect(errors.map((error) => (error as Error).message)).toEqual([
        '[tracehop] Failed to finish the test "logs in": journey("login") still ran when the test function returned, so its verdict could not decide the test. Await each journey (await journey(...)) or return it from the test function.',
      ]);
    } finally {
      await environment.teardown();
    }
  });

  describe('a spec file with a failure leaves what its backend saw beside the run records', () => {
    let runs = '';
    let logged: string[] = [];

    beforeEach(() => {
      runs = join(scratchDir('tracehop-env-failed-'), 'tracehop', 'runs');
      process.env.TRACEHOP_RUNS_DIR = runs;
      process.env.FAKE_DETOX_PLATFORM = 'android';
      logged = [];
      const keep = (...words: unknown[]) => void logged.push(words.join(' '));
      jest.spyOn(console, 'log').mockImplementation(keep);
      jest.spyOn(console, 'warn').mockImplementation(keep);
    });

    afterEach(() => {
      delete process.env.TRACEHOP_RUNS_DIR;
      jest.restoreAllMocks();
    });

    /** Sets the environment up, lets the app sign in once (with a credential), sends `events`, tears down. */
    async function specFile(events: readonly unknown[]): Promise<Backend> {
      const environment = new Environment({ projectConfig: {}, globalConfig: {} }, { testPath: '/specs/login.e2e.ts' });
      await environment.setup();
      // What Detox leaves in the spec file's global, where journey() reads the platform from.
      environment.global.__detox__ = { internalsApi: { config: { device: { type: 'android.emulator' } } } };
      const backend = environment.global[BACKEND_GLOBAL] as Backend;
      const answer = await fetch(`${backend.urls.services['api-gateway']}/api/v1/session`, {
        method: 'POST',
        headers: { authorization: 'Bearer s3cret' },
      });
      await answer.text();
      for (const event of events) await environment.handleTestEvent(event, {});
      await environment.teardown();
      return backend;
    }

    it('after a failing beforeAll hook and test: the capture log and spans, redacted, under failed-spec-files/', async () => {
      const backend = await specFile([
        { name: 'hook_failure', hook: { type: 'beforeAll' }, error: new Error('config-error never went away') },
        { name: 'test_fn_failure', test: { name: 'logs in' }, error: new Error('no login screen') },
      ]);
      const dir = join(runs, '..', 'failed-spec-files');
      const files = readdirSync(dir);
      expect(files).toHaveLength(1);
      const file = join(dir, files[0] ?? '');
      const record = JSON.parse(readFileSync(file, 'utf8')) as {
        journey: string;
        testPath: string;
        platform: string;
        captures: Array<{ service: string; method: string; path: string; headers: Array<[string, string]> }>;
        spans: unknown[];
      };
      expect({
        journey: record.journey,
        testPath: record.testPath,
        platform: record.platform,
        captures: record.captures.map(({ service, method, path, headers }) => ({
          service,
          method,
          path,
          authorization: headers.filter(([name]) => name === 'authorization'),
        })),
        spans: record.spans.length,
      }).toEqual({
        journey: 'login.e2e.ts',
        testPath: '/specs/login.e2e.ts',
        platform: 'android',
        captures: backend.captures().map(({ service, method, path }) => ({
          service,
          method,
          path,
          authorization: service === 'api-gateway' ? [['authorization', '[redacted]']] : [],
        })),
        spans: backend.store.size,
      });
      expect(record.captures[0]).toMatchObject({ service: 'api-gateway', method: 'POST', path: '/api/v1/session' });
      expect(logged).toEqual([
        `[tracehop] login.e2e.ts: a beforeAll hook, the test "logs in" failed; what its backend saw (${backend.captures().length} requests, ${backend.store.size} spans) is in ${file}`,
      ]);
      // Not among the run records the reporter reads as journeys.
      expect(existsSync(runs)).toBe(false);
    });

    it('after a passing spec file: nothing', async () => {
      await specFile([{ name: 'test_fn_success', test: { name: 'logs in', errors: [] } }]);
      expect([existsSync(join(runs, '..', 'failed-spec-files')), logged]).toEqual([false, []]);
    });

    it('where it cannot write: says so, and still stops the backend', async () => {
      // A file where the report folder should be.
      const blocked = join(scratchDir('tracehop-env-failed-'), 'tracehop');
      writeFileSync(blocked, '');
      process.env.TRACEHOP_RUNS_DIR = join(blocked, 'runs');
      const backend = await specFile([{ name: 'test_fn_failure', test: { name: 'logs in' }, error: new Error('x') }]);
      expect(logged).toEqual([
        `[tracehop] login.e2e.ts: could not save what its backend saw: [tracehop] Failed to record the "login.e2e.ts" journey run in "${blocked}/failed-spec-files": ENOTDIR: not a directory, mkdir '${blocked}/failed-spec-files'. It, or a directory above it, is a file. Name a directory instead: the reporter's outputDir (runs go in its runs/ folder) or TRACEHOP_RUNS_DIR.`,
      ]);
      await expect(fetch(backend.urls.services['api-gateway'] ?? '')).rejects.toThrow('fetch failed');
    });
  });

  it('refuses a fault list naming an unknown service, before starting anything', async () => {
    process.env.TRACEHOP_FAULTS = 'gateway:drop-traceparent';
    try {
      const environment = new Environment({ projectConfig: {}, globalConfig: {} }, { testPath: '/specs/login.e2e.ts' });
      await expect(environment.setup()).rejects.toThrow(
        '[tracehop] Failed to apply TRACEHOP_FAULTS: there is no service "gateway". Use one of: api-gateway, payment-api, fraud-service, auth-service, catalog-service, analytics.',
      );
      expect(environment.global[BACKEND_GLOBAL]).toBeUndefined();
    } finally {
      delete process.env.TRACEHOP_FAULTS;
    }
  });
});
