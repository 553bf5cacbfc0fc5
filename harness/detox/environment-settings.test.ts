import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TOPOLOGY } from '../backend';
import { readEnvironmentSettings } from './environment-settings';

const EDGE = {
  services: [
    { name: 'edge', firstParty: true, routes: [{ method: 'POST', path: '/api/v1/session', calls: [] }] },
    { name: 'core', firstParty: true, routes: [] },
  ],
};
const OPTION_HINT =
  'Name the topology JSON file of your mock backend, relative to the Jest rootDir: testEnvironmentOptions: { tracehop: { topology: "e2e/topology.json" } }.';

let root: string;
let cwd: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'tracehop-env-settings-'));
  mkdirSync(join(root, 'e2e'));
  writeFileSync(join(root, 'e2e', 'topology.json'), JSON.stringify(EDGE));
  writeFileSync(join(root, 'bad.json'), '{"services": []}');
  // A third party listed first: the app is pointed at the first service of the team's own.
  writeFileSync(
    join(root, 'third-first.json'),
    JSON.stringify({ services: [...EDGE.services].reverse().map((service, i) => ({ ...service, firstParty: i > 0 })) }),
  );
  cwd = process.cwd();
  process.chdir(root);
});

afterAll(() => {
  process.chdir(cwd);
  rmSync(root, { recursive: true, force: true });
});

async function settingsOf(env: NodeJS.ProcessEnv, options: unknown): Promise<unknown> {
  const result = await readEnvironmentSettings(env, options, root);
  if (!result.ok) return result.message;
  const { topology, ...rest } = result.value;
  return { services: topology.services.map((service) => service.name), ...rest };
}

describe('readEnvironmentSettings', () => {
  it("starts tracehop's default services when no topology is named, with the faults of the environment", async () => {
    const defaults = await readEnvironmentSettings({ TRACEHOP_APP_FAULTS: 'b3-only' }, {}, root);
    expect(defaults).toEqual({
      ok: true,
      value: { topology: DEFAULT_TOPOLOGY, gateway: 'api-gateway', faults: [], appFaults: ['b3-only'] },
    });
  });

  it("reads the Jest config's topology from its rootDir; the app is pointed at its first service", async () => {
    const options = { tracehop: { topology: 'e2e/topology.json' } };
    expect(
      await settingsOf(
        { TRACEHOP_FAULTS: 'edge:drop-traceparent', TRACEHOP_FORWARD_OTLP: 'http://c/v1/traces' },
        options,
      ),
    ).toEqual({
      services: ['edge', 'core'],
      gateway: 'edge',
      faults: [{ service: 'edge', fault: 'drop-traceparent' }],
      appFaults: [],
      forwardOtlpUrl: 'http://c/v1/traces',
    });
  });

  // startBackend refused it in every spec file's setup instead, naming no variable.
  it('refuses a TRACEHOP_FORWARD_OTLP that is no http(s) URL, naming the variable; an empty one is unset', async () => {
    expect([
      await settingsOf({ TRACEHOP_FORWARD_OTLP: 'collector:4318' }, {}),
      await settingsOf({ TRACEHOP_FORWARD_OTLP: '' }, {}),
    ]).toEqual([
      '[tracehop] Failed to forward spans: TRACEHOP_FORWARD_OTLP "collector:4318" is not an http(s) URL. Set it to a collector URL such as http://127.0.0.1:4318/v1/traces.',
      {
        services: DEFAULT_TOPOLOGY.services.map((service) => service.name),
        gateway: 'api-gateway',
        faults: [],
        appFaults: [],
      },
    ]);
  });

  it('takes TRACEHOP_TOPOLOGY (from the current directory) over the config, and judges faults by its services', async () => {
    const options = { tracehop: { topology: 'missing.json' } };
    expect(await settingsOf({ TRACEHOP_TOPOLOGY: 'e2e/topology.json' }, options)).toEqual({
      services: ['edge', 'core'],
      gateway: 'edge',
      faults: [],
      appFaults: [],
    });
    expect(
      await settingsOf({ TRACEHOP_TOPOLOGY: 'e2e/topology.json', TRACEHOP_FAULTS: 'api-gateway:new-trace' }, {}),
    ).toBe('[tracehop] Failed to apply TRACEHOP_FAULTS: there is no service "api-gateway". Use one of: edge, core.');
  });

  it('points the app at the first service of its own, not at a third party listed before it', async () => {
    expect(await settingsOf({ TRACEHOP_TOPOLOGY: 'third-first.json' }, {})).toEqual({
      services: ['core', 'edge'],
      gateway: 'edge',
      faults: [],
      appFaults: [],
    });
  });

  it('refuses a topology file that is missing or not a topology, saying where it was named', async () => {
    expect([
      await settingsOf({}, { tracehop: { topology: 'missing.json' } }),
      await settingsOf({ TRACEHOP_TOPOLOGY: 'missing.json' }, {}),
      await settingsOf({ TRACEHOP_TOPOLOGY: 'bad.json' }, {}),
      await settingsOf({}, { tracehop: { topology: 'e2e' } }),
    ]).toEqual([
      `[tracehop] Failed to read the topology "${join(root, 'missing.json')}": the file does not exist. Check the path in testEnvironmentOptions.tracehop.topology (read from the Jest config's rootDir), or leave it out to use tracehop's default services.`,
      '[tracehop] Failed to read the topology "missing.json": the file does not exist. Check the path in TRACEHOP_TOPOLOGY (read from the current directory), or leave it out to use tracehop\'s default services.',
      '[tracehop] Failed to read the topology "bad.json": "services" is empty. Fix the file, or leave TRACEHOP_TOPOLOGY out to use tracehop\'s default services.',
      `[tracehop] Failed to read the topology "${join(root, 'e2e')}": it is a directory, not a file. Fix the file, or leave testEnvironmentOptions.tracehop.topology out to use tracehop's default services.`,
    ]);
  });

  it('refuses testEnvironmentOptions.tracehop that is not { topology: "<file>" }, never ignoring a misspelt field', async () => {
    expect([
      await settingsOf({}, { tracehop: { topolgy: 'e2e/topology.json' } }),
      await settingsOf({}, { tracehop: 'e2e/topology.json' }),
      await settingsOf({}, { tracehop: { topology: 3 } }),
      await settingsOf({}, { tracehop: { topology: ' ' } }),
    ]).toEqual([
      `[tracehop] Failed to read the Jest config: testEnvironmentOptions.tracehop has an unknown field "topolgy" (its one field is "topology"). ${OPTION_HINT}`,
      `[tracehop] Failed to read the Jest config: testEnvironmentOptions.tracehop is "e2e/topology.json", not an object. ${OPTION_HINT}`,
      `[tracehop] Failed to read the Jest config: testEnvironmentOptions.tracehop.topology is 3, not a file name. ${OPTION_HINT}`,
      `[tracehop] Failed to read the Jest config: testEnvironmentOptions.tracehop.topology is " ", not a file name. ${OPTION_HINT}`,
    ]);
  });
});
