import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '../..');

interface Step {
  readonly run?: string;
  readonly uses?: string;
  readonly with?: Record<string, string | number | boolean>;
}

interface Job {
  readonly 'runs-on': string;
  readonly env?: Record<string, string>;
  readonly steps: readonly Step[];
}

const workflow = parse(fs.readFileSync(path.join(ROOT, '.github/workflows/e2e-devices.yml'), 'utf8')) as {
  jobs: Record<string, Job>;
};
const detoxrc = require(path.join(ROOT, '.detoxrc.js')) as {
  configurations: Record<string, unknown>;
  devices: { emulator: { device: { avdName: string } } };
};

/** Every shell command of a job: `run` steps and the emulator runner's `script`. */
function commands(job: Job): string[] {
  return job.steps.flatMap((step) =>
    [step.run, step.with?.script].filter((text): text is string => typeof text === 'string'),
  );
}

/** The configurations named by `detox build|test -c <name>` in a job's commands. */
function detoxConfigurations(job: Job): string[] {
  return commands(job).flatMap((text) =>
    [...text.matchAll(/detox (?:build|test)\b[^\n]*?(?:-c|--configuration)[ =](\S+)/g)].map(
      (match) => match[1] as string,
    ),
  );
}

describe('.github/workflows/e2e-devices.yml', () => {
  it('has a web, an iOS and an Android job', () => {
    expect(Object.keys(workflow.jobs).sort()).toEqual(['android', 'ios', 'web']);
  });

  it('names only configurations that .detoxrc.js defines', () => {
    const named = Object.values(workflow.jobs).flatMap(detoxConfigurations);
    expect(named.filter((name) => !(name in detoxrc.configurations))).toEqual([]);
    expect(new Set(named)).toEqual(new Set(['web.headless', 'ios.sim.release', 'android.emu.release']));
  });

  it('builds and tests the iOS release configuration on a macOS runner', () => {
    const ios = workflow.jobs.ios as Job;
    expect(ios['runs-on']).toMatch(/^macos-/);
    expect(detoxConfigurations(ios)).toEqual(['ios.sim.release', 'ios.sim.release']);
    expect(commands(ios).some((text) => text.includes('detox build -c ios.sim.release'))).toBe(true);
  });

  it('runs the Android release configuration in the emulator runner with KVM, on the AVD Detox expects', () => {
    const android = workflow.jobs.android as Job;
    const runner = android.steps.find((step) => step.uses?.startsWith('reactivecircus/android-emulator-runner@'));
    expect(runner?.with?.script).toBe(
      'npx detox test -c android.emu.release --headless --cleanup --record-logs failing',
    );
    expect(runner?.with?.['avd-name']).toBe(android.env?.TRACEHOP_ANDROID_AVD);
    expect(commands(android).some((text) => text.includes('udevadm trigger --name-match=kvm'))).toBe(true);
    expect(detoxConfigurations(android)).toEqual(['android.emu.release', 'android.emu.release']);
  });

  it('runs npm run e2e on the web and checks that the fault is caught', () => {
    const web = workflow.jobs.web as Job;
    expect(commands(web)).toContain('npm run e2e -- --cleanup');
    expect(
      commands(web).some(
        (text) => text.includes('TRACEHOP_FAULTS=api-gateway:drop-traceparent') && text.includes('broken-chain'),
      ),
    ).toBe(true);
  });
});

describe('.github/workflows/test.yml', () => {
  const test = parse(fs.readFileSync(path.join(ROOT, '.github/workflows/test.yml'), 'utf8')) as {
    jobs: Record<string, Job & { steps: readonly (Step & { with?: Record<string, string> })[] }>;
  };

  it("runs npm test (with the fault matrix) after npm ci on Node 20, with the runner's Chrome", () => {
    const job = test.jobs.test as Job;
    expect(commands(job)).toEqual(['npm ci', 'npm test']);
    expect(job.steps.find((step) => step.uses === 'actions/setup-node@v4')?.with?.['node-version']).toBe('20.19');
    expect(job.env?.TRACEHOP_CHROMIUM).toBe('/usr/bin/google-chrome');
  });
});
