/**
 * Detox's Jest environment, wrapped: after Detox boots the device, start a mock backend for this spec
 * file (its own ports, so parallel workers never share spans), point the app at it with launch args,
 * and on Android reverse its ports so `localhost` reaches the host. TRACEHOP_FAULTS switches backend faults on
 * for the run, TRACEHOP_APP_FAULTS the app's own faults (launch argument tracehopAppFaults);
 * TRACEHOP_FORWARD_OTLP also sends every span to your collector.
 */
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import { DetoxCircusEnvironment } from 'detox/runners/jest';
import { DEFAULT_TOPOLOGY, parseFaultList, startBackend, type Backend } from '../../harness/backend';
import {
  launchArgsFor,
  parseAppFaultList,
  reverseBackendPorts,
  unreverseBackendPorts,
  type PortDevice,
} from '../../harness/detox';
import { TEST_PATH_GLOBAL } from '../../harness/jest';
import { BACKEND_GLOBAL } from './backend';

interface LaunchArgsDevice extends PortDevice {
  readonly appLaunchArgs: { modify(args: Record<string, unknown>): unknown };
}

/** Faults for the whole run from TRACEHOP_FAULTS ("api-gateway:drop-traceparent,..."). */
function faultsFromEnv(): ReturnType<typeof parseFaultList> {
  const names = DEFAULT_TOPOLOGY.services.map((service) => service.name);
  return parseFaultList(process.env.TRACEHOP_FAULTS ?? '', names, 'TRACEHOP_FAULTS');
}

class TracehopDetoxEnvironment extends DetoxCircusEnvironment {
  private backend: Backend | undefined;
  private reversedPorts: number[] = [];

  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    // recordJourney() names the spec file in each run record; Detox's global `expect` cannot tell it.
    this.global[TEST_PATH_GLOBAL] = context.testPath;
  }

  override async setup(): Promise<void> {
    await super.setup();
    const faults = faultsFromEnv();
    // The message is already user-facing ("[tracehop] Failed to ...").
    if (!faults.ok) throw new Error(faults.message);
    const appFaults = parseAppFaultList(process.env.TRACEHOP_APP_FAULTS ?? '', 'TRACEHOP_APP_FAULTS');
    if (!appFaults.ok) throw new Error(appFaults.message);
    const forwardOtlpUrl = process.env.TRACEHOP_FORWARD_OTLP;
    this.backend = await startBackend({ faults: faults.value, ...(forwardOtlpUrl ? { forwardOtlpUrl } : {}) });
    const device = this.global.device as LaunchArgsDevice;
    device.appLaunchArgs.modify({ ...launchArgsFor(this.backend, { appFaults: appFaults.value }) });
    this.reversedPorts = await reverseBackendPorts(device, this.backend);
    this.global[BACKEND_GLOBAL] = this.backend;
  }

  override async teardown(): Promise<void> {
    try {
      const device = this.global.device as LaunchArgsDevice | undefined;
      if (device !== undefined) await unreverseBackendPorts(device, this.reversedPorts);
      await this.backend?.stop();
    } finally {
      await super.teardown();
    }
  }
}

module.exports = TracehopDetoxEnvironment;
