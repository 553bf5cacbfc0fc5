/**
 * startBackend()'s options, checked before anything listens: JavaScript callers pass anything, and a misspelt
 * option ({ topolgy }) was read as absent, a topology of the wrong shape failed deep inside as a TypeError.
 */
import { failure } from '../internal/messages';
import { unknownKey } from '../internal/nearest-name';
import { shownText, shownValue } from '../internal/shown-value';
import { parseTopology, type Topology } from './topology';

/** startBackend()'s options, in the order BackendOptions declares them. */
const OPTIONS = ['topology', 'faults', 'ports', 'forwardOtlpUrl', 'maxBodyBytes', 'onWarning', 'keepAlive'];

/** How a topology passed in code is named in messages. */
const TOPOLOGY_LABEL = 'startBackend({ topology })';
const TOPOLOGY_HINT = 'Fix the topology given to startBackend, or leave it out to start the default one.';

/**
 * The topology startBackend is to start (checked as a topology file is, its methods upper-cased), or the message
 * saying what is wrong with the options. Never throws.
 */
export function checkBackendOptions(
  options: object,
  defaultTopology: Topology,
): { ok: true; topology: Topology } | { ok: false; message: string } {
  const record = options as Record<string, unknown>;
  const unknown = unknownKey(record, OPTIONS);
  if (unknown !== undefined) {
    return {
      ok: false,
      message: failure(
        'start the mock backend',
        `startBackend() has an unknown option ${shownText(unknown.key)}${unknown.guess}`,
        `Its options are ${OPTIONS.slice(0, -1).join(', ')} and ${OPTIONS.at(-1) ?? ''}.`,
      ),
    };
  }
  const wrong = wrongOption(record);
  if (wrong !== undefined) {
    return {
      ok: false,
      message: failure(
        'start the mock backend',
        `startBackend()'s ${wrong.option} is ${shownValue(record[wrong.option])}, not ${wrong.expected}`,
        `Pass ${wrong.expected}, or leave ${wrong.option} out.`,
      ),
    };
  }
  if (record.topology === undefined) return { ok: true, topology: defaultTopology };
  const topology = parseTopology(record.topology, TOPOLOGY_LABEL, TOPOLOGY_HINT);
  return topology.ok ? { ok: true, topology: topology.value } : { ok: false, message: topology.message };
}

const isPort = (value: unknown): boolean =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65_535;

/** What each option other than the topology must be, as BackendOptions declares it. */
const SHAPES: readonly { option: string; expected: string; holds: (value: unknown) => boolean }[] = [
  {
    option: 'faults',
    expected: 'a list of { service, fault } (as setFaults takes)',
    holds: (value) =>
      Array.isArray(value) &&
      value.every(
        (item: unknown) =>
          typeof item === 'object' &&
          item !== null &&
          typeof (item as { service?: unknown }).service === 'string' &&
          typeof (item as { fault?: unknown }).fault === 'string',
      ),
  },
  {
    option: 'ports',
    expected: 'an object of ports (0 to 65535) by service name, as { "api-gateway": 8080 }',
    holds: (value) =>
      typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every(isPort),
  },
  { option: 'forwardOtlpUrl', expected: 'a URL string', holds: (value) => typeof value === 'string' },
  {
    option: 'maxBodyBytes',
    expected: 'a whole number of bytes above 0',
    holds: (value) => typeof value === 'number' && Number.isSafeInteger(value) && value > 0,
  },
  { option: 'onWarning', expected: 'a function', holds: (value) => typeof value === 'function' },
  { option: 'keepAlive', expected: 'true or false', holds: (value) => typeof value === 'boolean' },
];

/** The first option given (not undefined) that is not what BackendOptions declares. */
function wrongOption(record: Record<string, unknown>): { option: string; expected: string } | undefined {
  return SHAPES.find(({ option, holds }) => record[option] !== undefined && !holds(record[option]));
}
