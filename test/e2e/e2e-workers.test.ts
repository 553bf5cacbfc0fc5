/** How `npm run e2e` chooses Detox workers (scripts/e2e.js workerArgs). */
import * as os from 'node:os';
import * as path from 'node:path';

const { workerArgs } = require(path.resolve(__dirname, '../../scripts/e2e.js')) as {
  workerArgs: (args: readonly string[], configuration: string) => string[];
};

describe('npm run e2e workers', () => {
  const saved = process.env.TRACEHOP_E2E_WORKERS;
  afterEach(() => {
    if (saved === undefined) delete process.env.TRACEHOP_E2E_WORKERS;
    else process.env.TRACEHOP_E2E_WORKERS = saved;
  });

  it('on web, one worker per core, at most 4', () => {
    delete process.env.TRACEHOP_E2E_WORKERS;
    const cores = os.availableParallelism();
    expect(workerArgs([], 'web.headless')).toEqual(['--maxWorkers', String(Math.max(1, Math.min(4, cores)))]);
  });

  it('leaves native configurations at one worker (e2e/jest.config.js) unless asked', () => {
    delete process.env.TRACEHOP_E2E_WORKERS;
    expect(workerArgs([], 'android.emu.release')).toEqual([]);
    expect(workerArgs([], 'ios.sim.release')).toEqual([]);
  });

  it('TRACEHOP_E2E_WORKERS chooses for any configuration; --maxWorkers or -w in the args wins over both', () => {
    process.env.TRACEHOP_E2E_WORKERS = '3';
    expect(workerArgs([], 'android.genycloud.release')).toEqual(['--maxWorkers', '3']);
    expect(workerArgs(['--maxWorkers', '2'], 'web.headless')).toEqual([]);
    expect(workerArgs(['--maxWorkers=2'], 'web.headless')).toEqual([]);
    expect(workerArgs(['-w', '2'], 'web.headless')).toEqual([]);
  });
});

describe('npm run e2e under TRACEHOP_TOPOLOGY', () => {
  const { childTopology } = require(path.resolve(__dirname, '../../scripts/e2e.js')) as {
    childTopology: (env: NodeJS.ProcessEnv, cwd: string) => string | undefined;
  };

  it('hands Detox, which runs from the project root, the path as read from where the script ran', () => {
    expect([
      childTopology({ TRACEHOP_TOPOLOGY: 'e2e/topology.json' }, '/work/app/packages/mobile'),
      childTopology({ TRACEHOP_TOPOLOGY: '/etc/topology.json' }, '/work/app'),
      childTopology({}, '/work/app'),
    ]).toEqual(['/work/app/packages/mobile/e2e/topology.json', '/etc/topology.json', undefined]);
  });
});
