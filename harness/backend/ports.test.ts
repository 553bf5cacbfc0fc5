import { DEFAULT_TOPOLOGY } from './default-topology';
import { parsePortList, resolvePorts } from './ports';
import type { Topology } from './topology';

const LIST_HINT =
  'Write pairs such as "api-gateway=8080,otlp=4318", comma separated, or leave a listener out so the OS picks its port.';

describe('parsePortList', () => {
  it('reads comma-separated name=port pairs, ignoring blanks', () => {
    expect(parsePortList(' api-gateway=8080, ,otlp=4318 ', '--port')).toEqual({
      ok: true,
      value: { 'api-gateway': 8080, otlp: 4318 },
    });
  });

  it('takes "__proto__" as a name like any other, for resolvePorts to refuse as no listener', () => {
    const parsed = parsePortList('__proto__=8080', '--port');
    expect(parsed.ok && Object.entries(parsed.value)).toEqual([['__proto__', 8080]]);
    expect(parsed.ok && resolvePorts(DEFAULT_TOPOLOGY, parsed.value, '--port')).toEqual({
      ok: false,
      reason: 'unknown-listener',
      message: `[tracehop] Failed to apply --port: there is no listener "__proto__". Use one of: ${[...DEFAULT_TOPOLOGY.services.map((service) => service.name), 'otlp'].join(', ')}.`,
    });
  });

  test.each([
    ['api-gateway', '"api-gateway" is not a name=port pair with a port from 1 to 65535', 'not-a-pair'],
    ['api-gateway=', '"api-gateway=" is not a name=port pair with a port from 1 to 65535', 'not-a-pair'],
    ['api-gateway=80x', '"api-gateway=80x" is not a name=port pair with a port from 1 to 65535', 'not-a-pair'],
    ['api-gateway=0', '"api-gateway=0" is not a name=port pair with a port from 1 to 65535', 'not-a-pair'],
    ['api-gateway=65536', '"api-gateway=65536" is not a name=port pair with a port from 1 to 65535', 'not-a-pair'],
    ['=8080', '"=8080" is not a name=port pair with a port from 1 to 65535', 'not-a-pair'],
    ['otlp=4318,otlp=4319', '"otlp" is given a port twice', 'duplicate-name'],
  ])('rejects %j with a message naming the pair', (text, cause, reason) => {
    expect(parsePortList(text, '--port')).toEqual({
      ok: false,
      reason,
      message: `[tracehop] Failed to read --port: ${cause}. ${LIST_HINT}`,
    });
  });
});

describe('resolvePorts', () => {
  const topology: Topology = {
    services: [
      { name: 'edge', firstParty: true, routes: [], port: 9001 },
      { name: 'core', firstParty: true, routes: [] },
    ],
    otlpPort: 9003,
  };

  it('takes the topology ports and lets given ports override them', () => {
    expect(resolvePorts(topology, { core: 9002, otlp: 9004 })).toEqual({
      ok: true,
      value: { edge: 9001, core: 9002, otlp: 9004 },
    });
  });

  it('leaves every listener to the OS when nothing is given', () => {
    expect(resolvePorts(DEFAULT_TOPOLOGY)).toEqual({ ok: true, value: {} });
  });

  test.each([
    [{ cart: 8080 }, 'there is no listener "cart". Use one of: edge, core, otlp.', 'unknown-listener'],
    [{ core: 70000 }, `the port 70000 of "core" is not from 1 to 65535. ${LIST_HINT}`, 'invalid-port'],
    [{ core: 9001 }, 'edge and core are both given port 9001. Give each listener its own port.', 'port-taken'],
    [{ otlp: 9001 }, 'edge and otlp are both given port 9001. Give each listener its own port.', 'port-taken'],
  ])('rejects %j naming the listener', (given, rest, reason) => {
    expect(resolvePorts(topology, given, '--port')).toEqual({
      ok: false,
      reason,
      message: `[tracehop] Failed to apply --port: ${rest}`,
    });
  });
});
