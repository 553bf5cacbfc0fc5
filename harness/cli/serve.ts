import { resolve } from 'node:path';
import {
  DEFAULT_TOPOLOGY,
  forwardUrlFrom,
  parseFaultList,
  parsePortList,
  readTopologyFile,
  resolvePorts,
  startBackend,
  type FaultSetting,
  type PortsReason,
  type Topology,
  type TopologyReason,
} from '../backend';
import { failure, TracehopError } from '../internal/messages';
import { readCommandLine, usageFailure, type OptionTable, type UsageFailure } from './command-line';
import { untilSignal } from './stop-signal';
import { EXIT_OK, EXIT_UNUSABLE, type CliIo } from './io';
import { errorMessage, type Failure, type ReadFileReason } from '../internal/result';

export interface ServeArgs {
  readonly topologyFile?: string;
  /** Every --faults value, in order (all apply). */
  readonly faults: readonly string[];
  /** Every --port value, in order (a listener in two of them is refused). */
  readonly ports: readonly string[];
}

export type ArgsResult = { ok: true; value: ServeArgs } | UsageFailure | { ok: 'help' };

const USAGE = 'Usage: tracehop serve [--topology FILE] [--faults LIST] [--port NAME=PORT,...]';

/** The options of `tracehop serve`. */
export const SERVE_OPTIONS: OptionTable = {
  topology: { kind: 'value' },
  faults: { kind: 'value' },
  port: { kind: 'value' },
};

/** `tracehop serve` arguments: `--topology FILE` (once), `--faults LIST`..., `--port PAIRS`... */
export function parseServeArgs(args: readonly string[]): ArgsResult {
  const line = readCommandLine(args, SERVE_OPTIONS, { action: 'start tracehop serve', usage: USAGE, fileNames: false });
  if (!line.ok) return line;
  if (line.help) return { ok: 'help' };
  let topologyFile: string | undefined;
  const faults: string[] = [];
  const ports: string[] = [];
  for (const { name, value = '' } of line.value.options) {
    // The first of two was once dropped silently: the services a user meant were not the ones started.
    if (name === 'topology' && topologyFile !== undefined)
      return usageFailure(failure('start tracehop serve', '--topology is given twice', 'Give it once.'));
    if (name === 'topology') topologyFile = value;
    else if (name === 'faults') faults.push(value);
    else ports.push(value);
  }
  return { ok: true, value: { ...(topologyFile ? { topologyFile } : {}), faults, ports } };
}

/** Reads every --port value into one map and checks it against the topology (names, ranges, clashes). */
function portsOf(
  values: readonly string[],
  topology: Topology,
): { ok: true; value: Record<string, number> } | Failure<PortsReason> {
  // Read as one list, so a listener given a port in two --port values is refused as in one (it once took the last).
  const given = parsePortList(values.join(','), '--port');
  if (!given.ok) return given;
  const checked = resolvePorts(topology, given.value, '--port');
  return checked.ok ? { ok: true, value: given.value } : checked;
}

async function loadTopology(
  file: string | undefined,
  io: CliIo,
): Promise<{ ok: true; value: Topology } | Failure<TopologyReason | ReadFileReason>> {
  if (!file) return { ok: true, value: DEFAULT_TOPOLOGY };
  return readTopologyFile(resolve(io.cwd, file), file, {
    missing: 'Pass an existing JSON file or omit --topology.',
    invalid: 'Fix the file or omit --topology to use the default topology.',
  });
}

/**
 * `tracehop serve [--topology FILE] [--faults LIST] [--port NAME=PORT,...]`: prints the endpoints as one JSON
 * line, serves until SIGINT/SIGTERM, exits 0. Ports come from --port (service names and "otlp"), then the
 * topology's `port` fields, else the OS. Faults also come from TRACEHOP_FAULTS; TRACEHOP_FORWARD_OTLP
 * forwards spans.
 */
export async function runServe(
  args: readonly string[],
  io: CliIo,
  stopSignal: () => Promise<unknown> = untilSignal,
): Promise<number> {
  // Listened for from the start: a signal while the backend starts stops it cleanly (exit 0, no endpoints
  // printed) instead of Node's default of dying with 130 or 143.
  let stopped = false;
  const signal = stopSignal().then(() => {
    stopped = true;
  });
  const parsed = parseServeArgs(args);
  if (parsed.ok === 'help') {
    io.stdout(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (!parsed.ok) {
    io.stderr(`${parsed.message}\n`);
    return EXIT_UNUSABLE;
  }
  const topology = await loadTopology(parsed.value.topologyFile, io);
  if (!topology.ok) {
    io.stderr(`${topology.message}\n`);
    return EXIT_UNUSABLE;
  }
  const names = topology.value.services.map((service) => service.name);
  const faults: FaultSetting[] = [];
  for (const [text, label] of [
    [io.env.TRACEHOP_FAULTS, 'TRACEHOP_FAULTS'],
    ...parsed.value.faults.map((text) => [text, '--faults'] as const),
  ] as const) {
    if (text === undefined) continue;
    const list = parseFaultList(text, names, label);
    if (!list.ok) {
      io.stderr(`${list.message}\n`);
      return EXIT_UNUSABLE;
    }
    faults.push(...list.value);
  }
  const ports = portsOf(parsed.value.ports, topology.value);
  if (!ports.ok) {
    io.stderr(`${ports.message}\n`);
    return EXIT_UNUSABLE;
  }
  const forward = forwardUrlFrom(io.env.TRACEHOP_FORWARD_OTLP, 'TRACEHOP_FORWARD_OTLP');
  if (!forward.ok) {
    io.stderr(`${forward.message}\n`);
    return EXIT_UNUSABLE;
  }
  let backend;
  try {
    backend = await startBackend({
      topology: topology.value,
      faults,
      ports: ports.value,
      ...(forward.value ? { forwardOtlpUrl: forward.value } : {}),
      onWarning: (message) => io.stderr(`${message}\n`),
    });
  } catch (error) {
    const message =
      error instanceof TracehopError
        ? error.message
        : failure('start the mock backend', errorMessage(error), 'Check that loopback ports are available.');
    io.stderr(`${message}\n`);
    return EXIT_UNUSABLE;
  }
  // A signal that came while the backend loaded or started reaches its listener only when the event loop
  // polls, which starting it (all in microtasks and ticks) may never have let happen: the poll phase runs
  // before the next setImmediate callback, so after this `stopped` tells of every signal the process had got.
  await new Promise((polled) => setImmediate(polled));
  if (!stopped) io.stdout(`${JSON.stringify(backend.urls)}\n`);
  await signal;
  await backend.stop();
  return EXIT_OK;
}
