/**
 * The package as a user gets it: `npm pack`, installed into a scratch app in os.tmpdir() (outside this
 * repository, its own package.json with TypeScript, Jest, Detox and playwright-core at our lockfile's
 * versions, from the npm cache), set up by `npx tracehop init`. Its one spec imports only `tracehop/*` (and
 * Detox); `tsc --noEmit` passes on it, and `detox test -c web.headless` covers its journey in real
 * Chromium. The app is a static page that does what the launch args ask: one traced request to the mock
 * gateway, and its two spans over OTLP/JSON. A strict consumer of the entry points type-checks too, with
 * skipLibCheck off, under node16 (CommonJS), nodenext (ESM) and bundler resolution, and compiling to ES5.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { scratchDir } from '../../harness/test-support/scratch-dir';

const ROOT = join(__dirname, '..', '..');
const LOCK = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string }>;
};
const lockVersion = (name: string): string => LOCK.packages[`node_modules/${name}`]?.version ?? 'missing';
const { ensureBrowser } = require(join(ROOT, 'scripts', 'ensure-browser.js')) as {
  ensureBrowser(log?: (line: string) => void): { ok: true; path: string } | { ok: false; message: string };
};

interface Result {
  readonly code: number | null;
  readonly output: string;
}

/** Runs a command to its end; resolves with its exit code and its stdout and stderr together. */
function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/**
 * The module settings a strict consumer may use: node16 in a CommonJS project (where a declaration that reaches
 * an ESM-only package fails with TS1479, as msw's did through tracehop/backend), nodenext from an .mts file
 * (ESM), and bundler; and an app that still compiles to ES5 (where a `#private` in a declaration fails with
 * TS18028, as SpanStore's and CaptureLog's did through tracehop/backend), with a newer lib for Node's types.
 */
const STRICT_MODES = [
  { mode: 'node16', module: 'node16', resolution: 'node16', file: 'consumer.ts', options: {} },
  { mode: 'nodenext', module: 'nodenext', resolution: 'nodenext', file: 'consumer.mts', options: {} },
  { mode: 'bundler', module: 'esnext', resolution: 'bundler', file: 'consumer.ts', options: {} },
  {
    mode: 'es5',
    module: 'commonjs',
    resolution: 'node10',
    file: 'consumer.ts',
    options: { target: 'es5', lib: ['es2022', 'dom'] },
  },
] as const;

/**
 * The package's entry points as a user imports them, from its exports. Not tracehop/detox/environment: it
 * extends Detox's DetoxCircusEnvironment, and Detox's own detox/runners/jest declarations use the global
 * DetoxInternals without referencing the file that declares it (TS2503 with skipLibCheck off, as in any project
 * that imports them); Detox's other declarations need skipLibCheck too (a second global `expect` beside
 * @types/jest, @types/bunyan that Detox does not install), so its users keep it on.
 */
function strictEntries(installedPackage: string): string[] {
  const { exports } = JSON.parse(readFileSync(join(installedPackage, 'package.json'), 'utf8')) as {
    exports: Record<string, unknown>;
  };
  return Object.keys(exports)
    .filter((entry) => entry !== './package.json' && entry !== './detox/environment')
    .map((entry) => (entry === '.' ? 'tracehop' : `tracehop${entry.slice(1)}`));
}

// What a user's web build would do with the launch args: a journey span, one traced call, both exported.
const PAGE = `<!doctype html>
<html>
  <head><meta charset="utf-8" /><title>packed app</title></head>
  <body>
    <button data-testid="login-submit">Sign in</button>
    <script>
      const args = new URLSearchParams(location.search);
      const hex = (n) => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => b.toString(16).padStart(2, '0')).join('');
      const now = () => String(BigInt(Date.now()) * 1000000n);
      const span = (traceId, spanId, parentSpanId, name, kind, start) =>
        ({ traceId, spanId, parentSpanId, name, kind, startTimeUnixNano: start, endTimeUnixNano: now() });
      document.querySelector('[data-testid=login-submit]').addEventListener('click', async () => {
        const traceId = hex(16), root = hex(8), client = hex(8), start = now();
        const answer = await fetch(args.get('tracehopBackendUrl') + '/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json', traceparent: '00-' + traceId + '-' + client + '-01' },
          body: '{}',
        });
        const call = span(traceId, client, root, 'HTTP POST', 3, start);
        const spans = [span(traceId, root, undefined, 'login', 1, start), call];
        const resource = { attributes: [{ key: 'service.name', value: { stringValue: 'mobile-app' } }] };
        await fetch(args.get('tracehopOtlpUrl'), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ resourceSpans: [{ resource, scopeSpans: [{ scope: { name: 'page' }, spans }] }] }),
        });
        const home = document.createElement('div');
        home.setAttribute('data-testid', 'home-screen');
        home.textContent = 'HTTP ' + answer.status;
        document.body.appendChild(home);
      });
    </script>
  </body>
</html>
`;

describe('the packed package in a scratch app', () => {
  let dir = '';
  let app = '';
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('TRACEHOP_') && !name.startsWith('JEST_')),
  );

  beforeAll(() => {
    dir = scratchDir('tracehop-packed-');
    app = join(dir, 'app');
  });

  it('installs, type-checks its spec and a strict consumer, and covers its first journey with detox test -c web.headless', async () => {
    const browser = ensureBrowser(() => undefined);
    if (!browser.ok) throw new Error(browser.message);
    // dist/ is built by npm test before Jest runs; --ignore-scripts keeps pack from building it again.
    const packed = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], ROOT, env);
    expect(packed.code).toBe(0);
    const tarball = readdirSync(dir).find((file) => file.endsWith('.tgz'));
    mkdirSync(join(app, 'web-dist'), { recursive: true });
    const devDependencies = Object.fromEntries(
      ['detox', 'jest', 'typescript', 'ts-jest', '@types/jest', '@types/node', 'playwright-core'].map((name) => [
        name,
        lockVersion(name),
      ]),
    );
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({
        name: 'packed-app',
        private: true,
        scripts: { 'build:web': 'node -e ""' },
        devDependencies: { ...devDependencies, tracehop: `file:../${tarball}` },
      }),
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'commonjs',
          target: 'es2022',
          esModuleInterop: true,
          skipLibCheck: true,
        },
        include: ['e2e'],
      }),
    );
    writeFileSync(join(app, 'web-dist', 'index.html'), PAGE);

    const installed = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], app, env);
    expect({ code: installed.code, output: installed.code === 0 ? '' : installed.output }).toEqual({
      code: 0,
      output: '',
    });
    // Stack traces follow the source maps to the TypeScript sources: they ship too.
    const installedPackage = join(app, 'node_modules', 'tracehop');
    const missingSources = ['dist/harness/detox/journey.js.map', 'dist/harness/index.js.map'].flatMap((map) => {
      const { sources } = JSON.parse(readFileSync(join(installedPackage, map), 'utf8')) as { sources: string[] };
      return sources.filter((source) => !existsSync(join(installedPackage, dirname(map), source)));
    });
    expect(missingSources).toEqual([]);

    const init = await run('npx', ['tracehop', 'init'], app, env);
    expect(init.output.split('\n').slice(0, 5)).toEqual([
      '[tracehop] init',
      'wrote e2e/journeys.json (one journey: login)',
      'wrote e2e/login.e2e.ts (its spec)',
      "wrote e2e/jest.config.js (Jest config with Detox's and tracehop's reporters)",
      'wrote .detoxrc.js (web.headless in headless Chromium)',
    ]);
    const imports = [...readFileSync(join(app, 'e2e', 'login.e2e.ts'), 'utf8').matchAll(/from '([^']+)'/g)].map(
      ([, from]) => from,
    );
    expect(imports).toEqual(['detox', 'tracehop/detox']);

    const typed = await run('npx', ['tsc', '--noEmit', '-p', '.'], app, env);
    expect({ code: typed.code, output: typed.output }).toEqual({ code: 0, output: '' });

    // The published declarations must not need skipLibCheck: a strict consumer of every entry point, per mode.
    const entries = strictEntries(installedPackage);
    expect(entries).toEqual(expect.arrayContaining(['tracehop', 'tracehop/backend', 'tracehop/detox']));
    const consumer = [
      ...entries.map((entry, index) => `import * as entry${index} from '${entry}';`),
      `export const entries = [${entries.map((_, index) => `entry${index}`).join(', ')}];`,
      '',
    ].join('\n');
    const strict = join(app, 'strict');
    mkdirSync(strict);
    const strictResults = [];
    for (const { mode, module, resolution, file, options } of STRICT_MODES) {
      writeFileSync(join(strict, file), consumer);
      writeFileSync(
        join(strict, `tsconfig.${mode}.json`),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            skipLibCheck: false,
            noEmit: true,
            target: 'es2022',
            module,
            moduleResolution: resolution,
            types: ['node', 'jest'],
            ...options,
          },
          files: [file],
        }),
      );
      const checked = await run('npx', ['tsc', '-p', join('strict', `tsconfig.${mode}.json`)], app, env);
      strictResults.push({ mode, code: checked.code, output: checked.output });
    }
    expect(strictResults).toEqual(STRICT_MODES.map(({ mode }) => ({ mode, code: 0, output: '' })));

    const tested = await run('npx', ['detox', 'test', '-c', 'web.headless'], app, {
      ...env,
      TRACEHOP_CHROMIUM: browser.path,
      FORCE_COLOR: '0',
    });
    const verdicts = tested.output.split('\n').filter((line) => /\[tracehop\] (login:|Trace coverage)/.test(line));
    expect({
      code: tested.code,
      verdicts: verdicts.map((line) => line.replace(/^.*?\[tracehop\]/, '[tracehop]')),
    }).toEqual({
      code: 0,
      verdicts: [
        expect.stringMatching(/^\[tracehop\] login: PASS in \d+ ms$/),
        `[tracehop] Trace coverage 100% (1 of 1 journeys fully covered); reports in ${join(app, 'artifacts', 'tracehop', 'report.html')}`,
      ],
    });
  }, 480_000);
});
