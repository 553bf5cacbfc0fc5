/**
 * What the tracehop Detox environment starts for a spec file, read from the Jest config and the process
 * environment: the mock backend's topology, its faults, the app's faults and the collector to forward to.
 */
import { isAbsolute, resolve } from 'node:path';
import {
  DEFAULT_TOPOLOGY,
  forwardUrlFrom,
  parseFaultList,
  readTopologyFile,
  type FaultSetting,
  type Topology,
} from '../backend';
import { failure } from '../internal/messages';
import { shownText, shownValue } from '../internal/shown-value';
import { parseAppFaultList, type AppFaultName } from './app-faults';

export interface EnvironmentSettings {
  readonly topology: Topology;
  /** The service whose URL the app gets as tracehopBackendUrl: the topology's first first-party service. */
  readonly gateway: string;
  readonly faults: readonly FaultSetting[];
  readonly appFaults: readonly AppFaultName[];
  readonly forwardOtlpUrl?: string;
}

export type EnvironmentSettingsResult =
  { readonly ok: true; readonly value: EnvironmentSettings } | { readonly ok: false; readonly message: string };

/** Where a topology file can be named: the Jest config's option, overridden by the environment variable. */
const TOPOLOGY_OPTION = 'testEnvironmentOptions.tracehop.topology';
const TOPOLOGY_VARIABLE = 'TRACEHOP_TOPOLOGY';

/** The topology file the Jest config names (relative to its rootDir), or a message when the option is wrong. */
function configuredTopology(
  options: unknown,
  rootDir: string,
): { ok: true; file: string | undefined } | { ok: false; message: string } {
  const tracehop =
    typeof options === 'object' && options !== null ? (options as Record<string, unknown>).tracehop : undefined;
  if (tracehop === undefined) return { ok: true, file: undefined };
  const wrong = (cause: string): { ok: false; message: string } => ({
    ok: false,
    message: failure(
      'read the Jest config',
      cause,
      'Name the topology JSON file of your mock backend, relative to the Jest rootDir: testEnvironmentOptions: { tracehop: { topology: "e2e/topology.json" } }.',
    ),
  });
  if (typeof tracehop !== 'object' || tracehop === null || Array.isArray(tracehop))
    return wrong(`testEnvironmentOptions.tracehop is ${shownValue(tracehop)}, not an object`);
  const unknown = Object.keys(tracehop).find((key) => key !== 'topology');
  if (unknown !== undefined)
    return wrong(
      `testEnvironmentOptions.tracehop has an unknown field ${shownText(unknown)} (its one field is "topology")`,
    );
  const topology = (tracehop as Record<string, unknown>).topology;
  if (topology === undefined) return { ok: true, file: undefined };
  if (typeof topology !== 'string' || topology.trim() === '')
    return wrong(`${TOPOLOGY_OPTION} is ${shownValue(topology)}, not a file name`);
  return { ok: true, file: resolve(rootDir, topology) };
}

/**
 * The topology for the spec files: TRACEHOP_TOPOLOGY (a path from the current directory), else the Jest
 * config's testEnvironmentOptions.tracehop.topology (from its rootDir), else tracehop's default services.
 * Never throws.
 * @example await readEnvironmentSettings(process.env, projectConfig.testEnvironmentOptions, globalConfig.rootDir)
 */
export async function readEnvironmentSettings(
  env: NodeJS.ProcessEnv,
  options: unknown,
  rootDir: string,
): Promise<EnvironmentSettingsResult> {
  const configured = configuredTopology(options, rootDir);
  if (!configured.ok) return configured;
  const variable = env[TOPOLOGY_VARIABLE];
  const file = variable ? resolve(variable) : configured.file;
  const named = variable ? TOPOLOGY_VARIABLE : TOPOLOGY_OPTION;
  let topology = DEFAULT_TOPOLOGY;
  if (file !== undefined) {
    const from = variable ? 'the current directory' : "the Jest config's rootDir";
    const read = await readTopologyFile(file, variable && !isAbsolute(variable) ? variable : file, {
      missing: `Check the path in ${named} (read from ${from}), or leave it out to use tracehop's default services.`,
      invalid: `Fix the file, or leave ${named} out to use tracehop's default services.`,
    });
    if (!read.ok) return { ok: false, message: read.message };
    topology = read.value;
  }
  const names = topology.services.map((service) => service.name);
  const faults = parseFaultList(env.TRACEHOP_FAULTS ?? '', names, 'TRACEHOP_FAULTS');
  if (!faults.ok) return { ok: false, message: faults.message };
  const appFaults = parseAppFaultList(env.TRACEHOP_APP_FAULTS ?? '', 'TRACEHOP_APP_FAULTS');
  if (!appFaults.ok) return { ok: false, message: appFaults.message };
  const forward = forwardUrlFrom(env.TRACEHOP_FORWARD_OTLP, 'TRACEHOP_FORWARD_OTLP');
  if (!forward.ok) return { ok: false, message: forward.message };
  const forwardOtlpUrl = forward.value;
  return {
    ok: true,
    value: {
      topology,
      // The app's first call goes to a service of the team's own (a third party gets no trace headers).
      gateway: topology.services.find((service) => service.firstParty)?.name ?? names[0] ?? 'api-gateway',
      faults: faults.value,
      appFaults: appFaults.value,
      ...(forwardOtlpUrl ? { forwardOtlpUrl } : {}),
    },
  };
}
