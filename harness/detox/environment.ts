/**
 * tracehop/detox/environment: Detox's Jest environment, wrapped. After Detox boots the device it starts a
 * mock backend for the spec file (its own ports, so parallel workers never share spans), points the app at
 * it with launch args, reverses its ports on Android so `localhost` reaches the host, and leaves it where
 * journey() finds it. It also tells journey() the journeys file of the tracehop reporter in the Jest config.
 *
 *   testEnvironment: 'tracehop/detox/environment'
 *
 * The backend serves tracehop's default services unless a topology file names yours:
 *
 *   testEnvironmentOptions: { tracehop: { topology: 'e2e/topology.json' } }   // from the Jest rootDir
 *
 * or TRACEHOP_TOPOLOGY=e2e/topology.json (from the current directory, over the config). The app gets the
 * first first-party service's URL as tracehopBackendUrl. When a test or hook of the spec file fails, the backend's
 * capture log and spans go to artifacts/tracehop/failed-spec-files/ (beside runs/) before it stops.
 * TRACEHOP_FAULTS switches backend faults on for the run ("api-gateway:drop-traceparent,..."),
 * TRACEHOP_APP_FAULTS the app's own faults ("gateway-not-first-party,...", passed as the launch argument
 * tracehopAppFaults); TRACEHOP_FORWARD_OTLP also sends every span to your collector.
 */
import { resolve } from 'node:path';
import type * as DetoxJest from 'detox/runners/jest';
import { startBackend, type Backend } from '../backend';
import { TracehopError } from '../internal/messages';
import { TEST_PATH_GLOBAL } from '../jest';
import { detoxPlatform } from '../report';
import { readEnvironmentSettings } from './environment-settings';
import { failureOfEvent, saveFailedSpecFile } from './failed-spec-file';
import { requireDetox } from './internal/detox-peer';
import { judgePendingJourneys, PENDING_JOURNEYS_GLOBAL, type PendingJourneys } from './pending-journeys';
import { launchArgsFor } from './launch-args';
import { reverseBackendPorts, unreverseBackendPorts, type PortDevice } from './ports';
import { BACKEND_GLOBAL, JOURNEYS_FILE_GLOBAL, reporterJourneysFile, type ReporterEntry } from './worker-backend';

// Without detox this says what to install, not "Cannot find module".
const { DetoxCircusEnvironment } = requireDetox<typeof DetoxJest>('detox/runners/jest', 'tracehop/detox/environment');

type EnvironmentArgs = ConstructorParameters<typeof DetoxCircusEnvironment>;

interface LaunchArgsDevice extends PortDevice {
  readonly appLaunchArgs: { modify(args: Record<string, unknown>): unknown };
}

/** The Detox environment with one tracehop mock backend per spec file. */
export class TracehopDetoxEnvironment extends DetoxCircusEnvironment {
  private backend: Backend | undefined;
  private reversedPorts: number[] = [];
  private readonly rootDir: string;
  private readonly pendingJourneys: PendingJourneys = new Set();
  private readonly options: unknown;
  private readonly specFile: string;
  /** The tests and hooks of this spec file that failed, for saveFailedSpecFile. */
  private readonly failures: string[] = [];

  constructor(...args: EnvironmentArgs) {
    super(...args);
    const [config, context] = args as unknown as [
      {
        globalConfig: { rootDir: string; reporters?: readonly ReporterEntry[] };
        projectConfig?: { rootDir?: string; testEnvironmentOptions?: unknown };
      },
      { testPath: string },
    ];
    // testEnvironmentOptions is a project's setting: its paths are the project's (Jest `projects`).
    this.rootDir = config.projectConfig?.rootDir ?? config.globalConfig.rootDir;
    this.options = config.projectConfig?.testEnvironmentOptions;
    // recordJourney() names the spec file in each run record; Detox's global `expect` cannot tell it.
    this.global[TEST_PATH_GLOBAL] = context.testPath;
    this.specFile = context.testPath;
    const journeysFile = reporterJourneysFile(config.globalConfig.reporters);
    if (journeysFile !== undefined)
      this.global[JOURNEYS_FILE_GLOBAL] = resolve(config.globalConfig.rootDir, journeysFile);
  }

  override async setup(): Promise<void> {
    await super.setup();
    const settings = await readEnvironmentSettings(process.env, this.options, this.rootDir);
    if (!settings.ok) throw new TracehopError(settings.message);
    const { topology, gateway, faults, appFaults, forwardOtlpUrl } = settings.value;
    this.backend = await startBackend({ topology, faults, ...(forwardOtlpUrl ? { forwardOtlpUrl } : {}) });
    const device = this.global.device as LaunchArgsDevice;
    device.appLaunchArgs.modify({ ...launchArgsFor(this.backend, { gateway, appFaults }) });
    this.reversedPorts = await reverseBackendPorts(device, this.backend);
    this.global[BACKEND_GLOBAL] = this.backend;
    this.global[PENDING_JOURNEYS_GLOBAL] = this.pendingJourneys;
  }

  override async handleTestEvent(event: unknown, state: unknown): Promise<void> {
    await super.handleTestEvent(event, state);
    judgePendingJourneys(event, this.pendingJourneys);
    const failure = failureOfEvent(event);
    if (failure !== undefined) this.failures.push(failure);
  }

  override async teardown(): Promise<void> {
    try {
      // Before anything can fail: what the backend saw is the first clue to a spec file that never reached a journey.
      if (this.backend !== undefined && this.failures.length > 0)
        await saveFailedSpecFile(this.specFile, this.failures, this.backend, detoxPlatform(this.global));
      const device = this.global.device as LaunchArgsDevice | undefined;
      try {
        if (device !== undefined) await unreverseBackendPorts(device, this.reversedPorts);
      } finally {
        // adb fails when the emulator died mid-run: the backend's listeners must close all the same, or they keep
        // Jest (in band under Detox) from exiting, and the run hangs until the CI step's timeout instead of failing.
        await this.backend?.stop();
      }
    } finally {
      await super.teardown();
    }
  }
}

// Jest takes a test environment module's default export.
export default TracehopDetoxEnvironment;
