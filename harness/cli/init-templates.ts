/** What `tracehop init` writes and prints for one app repository. Pure: the facts in, the texts out. */
import { detoxConfigLabel } from './init-detox-config';

/** What init found in the app repository. */
export interface ProjectFacts {
  /** package.json `name`, the first journey's owner. */
  readonly name: string;
  /** TypeScript and ts-jest are installed: the spec is TypeScript. */
  readonly typescript: boolean;
  /** The Detox config Detox would load, if any: a file name or package.json (init never edits it). */
  readonly detoxConfig?: string;
  /** The npm script that builds the web build, when the app has one. */
  readonly webBuild?: string;
  /** An e2e/jest.config.js is already there (init leaves it alone and prints what it must hold). */
  readonly jestConfig?: boolean;
  /** TypeScript specs only: what the app still lacks for ts-jest to compile them. */
  readonly tsconfig?: boolean;
  readonly jestTypes?: boolean;
  /** The installed TypeScript's major version, when known (ts-jest 29 needs one below 7). */
  readonly typescriptMajor?: number | undefined;
  /** The installed Jest's major version, when known: @types/jest must match it (npm would pick the newest). */
  readonly jestMajor?: number | undefined;
}

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

const JOURNEY = 'login';

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

function jestConfig(typescript: boolean): string {
  const transform = typescript ? "  transform: { '\\\\.tsx?$': 'ts-jest' },\n" : '';
  return `/**
 * Detox's Jest config with tracehop: one mock backend per spec file (tracehop/detox/environment), and trace
 * coverage of the journeys in e2e/journeys.json beside Detox's reporter.
 */
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '..',
  testMatch: ['<rootDir>/e2e/**/*.e2e.${typescript ? 'ts' : 'js'}'],
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

/** What an e2e/jest.config.js of the app's own must hold for tracehop (init never edits it). */
function jestConfigEntries(typescript: boolean): string[] {
  return [
    'e2e/jest.config.js is yours (tracehop does not edit it): make sure it holds',
    `  testMatch: ['<rootDir>/e2e/**/*.e2e.${typescript ? 'ts' : 'js'}'],  // with rootDir: '..'`,
    "  testEnvironment: 'tracehop/detox/environment',",
    "  reporters: ['detox/runners/jest/reporter', ['tracehop/jest/reporter', { journeysFile: 'e2e/journeys.json' }]],",
    ...(typescript ? ["  transform: { '\\\\.tsx?$': 'ts-jest' },"] : []),
  ];
}

/** The web parts of a Detox config, as object entries (shared by the file and the printed additions). */
function webEntries(name: string, script: string): string {
  return `  apps: {
    web: {
      // Any type the web driver accepts: the "app" is your web build's index.html, served over loopback.
      type: 'web.bundle',
      bundleId: ${JSON.stringify(`${name}-web`)},
      binaryPath: 'web-dist/index.html', // where ${script} writes index.html
      build: 'npm run ${script}',
    },
  },
  devices: {
    // tracehop's Detox driver: the system Chromium, headless (needs playwright-core).
    chromium: { type: 'tracehop/detox/web-driver' },
  },
  configurations: {
    'web.headless': { device: 'chromium', app: 'web' },
  },`;
}

function detoxrc(name: string, script: string): string {
  return `/** Detox: the web build in headless Chromium, driven by tracehop's web driver. */
/** @type {Detox.DetoxConfig} */
module.exports = {
  testRunner: {
    args: { $0: 'jest', config: 'e2e/jest.config.js' },
    jest: { setupTimeout: 120000 },
  },
  artifacts: { rootDir: 'artifacts/detox', plugins: { screenshot: 'failing' } },
${webEntries(name, script)}
};
`;
}

const LAUNCH_ARGS = [
  'Your app must read these launch arguments (Detox launchArgs; query parameters of the page on web):',
  '  tracehopBackendUrl    the mock api-gateway: send the journey requests there',
  '  tracehopOtlpUrl       OTLP/HTTP traces endpoint: export your spans there, promptly in test builds',
  '  tracehopAnalyticsUrl  the third-party analytics service, if your app sends analytics',
  'and name each journey\'s root span after the journey (or tag it app.journey), with service.name "mobile-app".',
];

/** The files init writes and what it prints after them, for the facts found. */
export function initTemplates(facts: ProjectFacts): InitPlan {
  const extension = facts.typescript ? 'ts' : 'js';
  const files: InitFile[] = [
    { path: 'e2e/journeys.json', what: 'one journey: login', text: journeysFile(facts.name) },
    { path: `e2e/${JOURNEY}.e2e.${extension}`, what: 'its spec', text: spec(facts.typescript) },
    {
      path: 'e2e/jest.config.js',
      what: "Jest config with Detox's and tracehop's reporters",
      text: jestConfig(facts.typescript),
    },
  ];
  const notes: string[] = [];
  if (facts.webBuild !== undefined && facts.detoxConfig === undefined) {
    files.push({
      path: '.detoxrc.js',
      what: 'web.headless in headless Chromium',
      text: detoxrc(facts.name, facts.webBuild),
    });
  } else if (facts.webBuild !== undefined && facts.detoxConfig !== undefined) {
    notes.push(
      `Add to ${detoxConfigLabel(facts.detoxConfig)} (tracehop does not edit it), and point testRunner.args.config at e2e/jest.config.js:`,
      webEntries(facts.name, facts.webBuild),
      '',
    );
  } else if (facts.detoxConfig !== undefined) {
    notes.push(`Point testRunner.args.config in ${detoxConfigLabel(facts.detoxConfig)} at e2e/jest.config.js.`, '');
  } else {
    notes.push(
      'There is no Detox config: run npx detox init, then point testRunner.args.config at e2e/jest.config.js.',
      '',
    );
  }
  if (facts.jestConfig === true) notes.push(...jestConfigEntries(facts.typescript), '');
  const major = facts.typescript ? facts.typescriptMajor : undefined;
  if (major !== undefined && major >= 7)
    notes.push(
      `TypeScript ${major} has no JavaScript API, which ts-jest needs to compile the spec: npm install --save-dev typescript@5.9`,
      '',
    );
  if (facts.typescript && facts.jestTypes === false)
    notes.push(
      `The TypeScript spec needs Jest's types: npm install --save-dev @types/jest${facts.jestMajor === undefined ? '' : `@${facts.jestMajor}`}`,
      '',
    );
  if (facts.typescript && facts.tsconfig === false)
    notes.push(
      'There is no tsconfig.json: ts-jest compiles the spec with one. A minimal one:',
      '  { "compilerOptions": { "strict": true, "module": "commonjs", "target": "es2022", "esModuleInterop": true, "skipLibCheck": true, "types": ["jest"] }, "include": ["e2e"] }',
      '',
    );
  notes.push(...LAUNCH_ARGS, '');
  const configuration = facts.webBuild === undefined ? '<your configuration>' : 'web.headless';
  notes.push(`Then run: npx detox build -c ${configuration} && npx detox test -c ${configuration}`);
  return { files, notes };
}
