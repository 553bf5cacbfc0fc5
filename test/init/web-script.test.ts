/**
 * react-native-web makes an app a web build for `tracehop init`, whose Detox web app runs `npm run build:web`
 * and opens web-dist/index.html: without that script in package.json, init says to add it or to change both.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DETOX, init, LAUNCH_ARGS, scratchApps, WROTE_E2E } from './support';

const { app, dir } = scratchApps();

const RN_WEB = (scripts: Record<string, string>): Record<string, string> => ({
  ...DETOX,
  'package.json': JSON.stringify({ name: 'shop', scripts, dependencies: { 'react-native-web': '^0.21.0' } }),
});

const NOTE =
  "package.json has no build:web script (react-native-web makes this a web build), which apps.web in <config> runs: add one that writes web-dist/index.html, or set that app's build and binaryPath to your web build's command and its index.html.";

const TAIL = `${LAUNCH_ARGS}
Then run: npx detox build -c web.headless && npx detox test -c web.headless
`;

describe('tracehop init for react-native-web', () => {
  it('without a build:web script, writes .detoxrc.js and says to add the script or change build and binaryPath', async () => {
    expect(await init(app(RN_WEB({ start: 'expo start' })))).toEqual({
      code: 0,
      stderr: '',
      stdout: `[tracehop] init
${WROTE_E2E}
wrote .detoxrc.js (web.headless in headless Chromium)

${NOTE.replace('<config>', '.detoxrc.js')}

${TAIL}`,
    });
    expect(readFileSync(join(dir(), '.detoxrc.js'), 'utf8')).toContain(
      "      binaryPath: 'web-dist/index.html', // where build:web writes index.html\n      build: 'npm run build:web',\n",
    );
  });

  it('names the Detox config the app has, whose web entry it prints', async () => {
    app({ ...RN_WEB({}), 'detox.config.json': '{}\n' });
    const run = await init(dir(), '--dry-run');
    expect(run.stdout.split('\n').slice(12, 15)).toEqual([
      'Point testRunner.args.config in detox.config.json at e2e/jest.config.js.',
      '',
      NOTE.replace('<config>', 'detox.config.json'),
    ]);
  });

  it('says nothing of it when package.json has a web:build script, which the web app then runs', async () => {
    expect(await init(app(RN_WEB({ 'web:build': 'expo export --platform web' })))).toEqual({
      code: 0,
      stderr: '',
      stdout: `[tracehop] init
${WROTE_E2E}
wrote .detoxrc.js (web.headless in headless Chromium)

${TAIL}`,
    });
    expect(readFileSync(join(dir(), '.detoxrc.js'), 'utf8')).toContain("      build: 'npm run web:build',\n");
  });
});
