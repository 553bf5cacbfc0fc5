import { failure } from '../internal/messages';
import type { Failure } from '../internal/result';
import { isPort } from './internal/port-number';
import type { Topology } from './topology';

/** The name `--port` and {@link resolvePorts} use for the OTLP receiver's listener. */
export const OTLP_PORT_NAME = 'otlp';

/**
 * Why ports are refused: a `--port` item that is no name=port pair, a name given twice, a name that is no
 * listener, a port out of range, or one port for two listeners.
 */
export type PortsReason = 'not-a-pair' | 'duplicate-name' | 'unknown-listener' | 'invalid-port' | 'port-taken';

/** Ports by listener name (services and `otlp`), or the reason and message they were refused. */
export type PortsResult = { ok: true; value: Readonly<Record<string, number>> } | Failure<PortsReason>;

const PORT_LIST_HINT =
  'Write pairs such as "api-gateway=8080,otlp=4318", comma separated, or leave a listener out so the OS picks its port.';

/**
 * Parses "name=port,name=port" (from `--port`). Names are checked later by {@link resolvePorts}.
 * @example parsePortList('api-gateway=8080,otlp=4318', '--port')
 */
export function parsePortList(text: string, label: string): PortsResult {
  // No prototype: a name such as "__proto__" or "constructor" is a name like any other (and no listener).
  const ports = Object.create(null) as Record<string, number>;
  for (const item of text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')) {
    const match = /^([^=\s]+)=(\d{1,5})$/.exec(item);
    const name = match?.[1];
    const port = match ? Number(match[2]) : NaN;
    if (name === undefined || !isPort(port)) {
      return {
        ok: false,
        reason: 'not-a-pair',
        message: failure(
          `read ${label}`,
          `"${item}" is not a name=port pair with a port from 1 to 65535`,
          PORT_LIST_HINT,
        ),
      };
    }
    if (name in ports)
      return {
        ok: false,
        reason: 'duplicate-name',
        message: failure(`read ${label}`, `"${name}" is given a port twice`, PORT_LIST_HINT),
      };
    ports[name] = port;
  }
  return { ok: true, value: ports };
}

/**
 * The fixed ports of a backend: each service's `port` from the topology, overridden by `given` (by service
 * name, plus "otlp"). Listeners without one get an OS-chosen port. Rejects unknown names, bad numbers and
 * two listeners on one port.
 */
export function resolvePorts(
  topology: Topology,
  given: Readonly<Record<string, number>> = {},
  label = 'the ports',
): PortsResult {
  const names = [...topology.services.map((service) => service.name), OTLP_PORT_NAME];
  // No prototype: a name such as "__proto__" or "constructor" is a name like any other (and no listener).
  const ports = Object.create(null) as Record<string, number>;
  for (const service of topology.services) if (service.port !== undefined) ports[service.name] = service.port;
  if (topology.otlpPort !== undefined) ports[OTLP_PORT_NAME] = topology.otlpPort;
  for (const [name, port] of Object.entries(given)) {
    if (!names.includes(name))
      return {
        ok: false,
        reason: 'unknown-listener',
        message: failure(`apply ${label}`, `there is no listener "${name}"`, `Use one of: ${names.join(', ')}.`),
      };
    if (!isPort(port))
      return {
        ok: false,
        reason: 'invalid-port',
        message: failure(
          `apply ${label}`,
          `the port ${String(port)} of "${name}" is not from 1 to 65535`,
          PORT_LIST_HINT,
        ),
      };
    ports[name] = port;
  }
  const owner = new Map<number, string>();
  for (const [name, port] of Object.entries(ports)) {
    const other = owner.get(port);
    if (other)
      return {
        ok: false,
        reason: 'port-taken',
        message: failure(
          `apply ${label}`,
          `${other} and ${name} are both given port ${port}`,
          'Give each listener its own port.',
        ),
      };
    owner.set(port, name);
  }
  return { ok: true, value: ports };
}
