/** What `tracehop init` writes and prints for one app repository. Pure: the facts in, the texts out. */
import { webBlocks } from './init-detox-entries';
import { initPaths, JOURNEY, type ProjectFacts } from './init-facts';
import { initNotes } from './init-notes';

/** One file init writes. */
export interface InitFile {
  readonly path: string;
  /** What the file is, for the plan. */
  readonly what: string;
  readonly text: string;
}

/** The files to write and the notes to print after them. */
export interface InitPlan {
  readonly files: InitFile[];
  readonly notes: string[];
}

function journeysFile(owner: string): string {
  const journeys = {
    journeys: [
      {
        name: JOURNEY,
        description: "Sign in: the app's request reaches the mock api-gateway, which calls the auth-service.",
        chain: ['mobile-app', 'api-gateway', 'auth-service'],
        owner,
        criticality: 'critical',
      },
    ],
  };
  return `${JSON.stringify(journeys, null, 2)}\n`;
}

function spec(typescript: boolean): string {
  const imports = typescript
    ? "import { by, device, element, waitFor } from 'detox';\nimport { journey } from 'tracehop/detox';\n"
    : "const { by, device, element, waitFor } = require('detox');\nconst { journey } = require('tracehop/detox');\n";
  return `${imports}
describe('login journey', () => {
  beforeAll(async () => {
    await device.launchApp({ newInstance: true });
  });

  // Your app's steps. The app names the journey's root span "login" (or tags it app.journey=login) and sends
  // the request to tracehopBackendUrl + "/login"; journey() then waits for the spans and judges the trace.
  it('keeps one trace from the app through the gateway to the auth service', () =>
    journey('login', async () => {
      await element(by.id('login-submit')).tap();
      await waitFor(element(by.id('home-screen')))
        .toBeVisible()
        .withTimeout(15000);
    }));
});
`;
}

function jestConfig(typescript: boolean, specMatch: string): string {
  const transform = typescript ? "  transform: { '\\\\.tsx?$': 'ts-jest' },\n" : '';
  return `/**
 * Detox's Jest config with tracehop: one mock backend per spec file (tracehop/detox/environment), and trace
 * coverage of the journeys in e2e/journeys.json beside Detox's reporter.
 */
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '..',
  testMatch: ['${specMatch}'],
  testTimeout: 120000,
  maxWorkers: 1,
  globalSetup: 'detox/runners/jest/globalSetup',
  globalTeardown: 'detox/runners/jest/globalTeardown',
  testEnvironment: 'tracehop/detox/environment',
  reporters: ['detox/runners/jest/reporter', ['tracehop/jest/reporter', { journeysFile: 'e2e/journeys.json' }]],
${transform}  verbose: true,
};
`;
}

function detoxrc(name: string, script: string, jestConfigPath: string): string {
  return `/** Detox: the web build in headless Chromium, driven by tracehop's web driver. */
/** @type {Detox.DetoxConfig} */
module.exports = {
  testRunner: {
    args: { $0: 'jest', config: '${jestConfigPath}' },
    jest: { setupTimeout: 120000 },
  },
  artifacts: { rootDir: 'artifacts/detox', plugins: { screenshot: 'failing' } },
${webBlocks(name, script)}
};
`;
}

/** The files init writes and what it prints after them, for the facts found. */
export function initTemplates(facts: ProjectFacts): InitPlan {
  const paths = initPaths(facts);
  const files: InitFile[] = [
    { path: 'e2e/journeys.json', what: 'one journey: login', text: journeysFile(facts.name) },
    { path: paths.spec, what: 'its spec', text: spec(facts.typescript) },
    {
      path: paths.jestConfig,
      what: "Jest config with Detox's and tracehop's reporters",
      text: jestConfig(facts.typescript, paths.specMatch),
    },
  ];
  if (facts.webBuild !== undefined && facts.detoxConfig === undefined) {
    files.push({
      path: paths.detoxConfig,
      what: 'web.headless in headless Chromium',
      text: detoxrc(facts.name, facts.webBuild, paths.jestConfig),
    });
  }
  return { files, notes: initNotes(facts) };
}
