/**
 * startBackend()'s options, checked before anything listens: JavaScript callers pass anything, and a misspelt
 * option ({ topolgy }) was read as absent, a topology of the wrong shape failed deep inside as a TypeError.
 */
import { failure } from '../internal/messages';
import { unknownKey } from '../internal/nearest-name';
import { shownText } from '../internal/shown-value';
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
  if (record.topology === undefined) return { ok: true, topology: defaultTopology };
  const topology = parseTopology(record.topology, TOPOLOGY_LABEL, TOPOLOGY_HINT);
  return topology.ok ? { ok: true, topology: topology.value } : { ok: false, message: topology.message };
}
