import { cutLogPrefix, detectLogPrefix, withoutLogPrefix } from './log-prefix';

/** Lines as the collectors write them (formats checked in their sources: see log-prefix.ts). */
const COMPOSE =
  "tracehop-web-shop-1     | {\ntracehop-payment-api-1  | {\ntracehop-web-shop-1     |   traceId: 'ab',\n";
const COMPOSE_COLOUR_T =
  '\u001b[36mtracehop-web-shop-1  | \u001b[0m2026-12-04T16:00:39.001234567Z {\n' +
  '\u001b[33;1mtracehop-db-1        | \u001b[0m2026-12-04T16:00:39.002469134Z LOG:  ready\n';
const KUBECTL_T =
  '[pod/web-shop-7d9c5b6f4-x2x4q/web-shop] 2026-12-04T16:00:39.0012Z {\n' +
  '[pod/payment-api-7d9c5b6f4-x2x4q/payment-api] 2026-12-04T16:00:39.00246Z {\n';
const DOCKER_T = '2026-12-04T16:00:39.001234567Z {\n2026-12-04T16:00:39.002469134+05:30 \t"Name": "checkout",\n';

describe('detectLogPrefix', () => {
  it.each([
    ['docker compose logs', COMPOSE, 'compose'],
    ['docker compose logs -t, coloured', COMPOSE_COLOUR_T, 'compose'],
    ['kubectl logs --prefix --timestamps', KUBECTL_T, 'kubectl'],
    ['kubectl logs --prefix', '[pod/a-1/a] {\n[pod/b-1/b] x\n', 'kubectl'],
    ['docker logs -t', DOCKER_T, 'timestamp'],
  ])('finds the prefix of %s', (_, head, expected) => {
    expect(detectLogPrefix(head)).toBe(expected);
  });

  it.each([
    ['a print of one process', "{\n  traceId: 'ab',\n  id: 'cd'\n}\n"],
    ['JSON Lines', '{"resourceSpans":[]}\n{"resourceSpans":[]}\n'],
    ['one prefixed line only', 'web-1  | {\n'],
    ['a log where fewer than nine lines in ten carry a prefix', 'web-1  | a\nweb-1  | b\nplain\nplain\n'],
    ['a last line cut short, not counted', 'web-1  | a\nweb-1  | b'],
  ])('finds none in %s', (_, head) => {
    expect(detectLogPrefix(head)).toBeUndefined();
  });
});

describe('cutLogPrefix', () => {
  it('cuts the padded compose prefix, its colour and the timestamp after the bar, naming the container', () => {
    expect(cutLogPrefix("tracehop-web-shop-1     |   traceId: 'ab',", 'compose')).toEqual({
      source: 'tracehop-web-shop-1',
      text: "  traceId: 'ab',",
    });
    expect(
      cutLogPrefix('\u001b[33;1mtracehop-db-1        | \u001b[0m2026-12-04T16:00:39.002469134Z LOG:  ready', 'compose'),
    ).toEqual({ source: 'tracehop-db-1', text: 'LOG:  ready' });
    // An empty line of the container: compose still writes the bar and its space.
    expect(cutLogPrefix('web-1  | ', 'compose')).toEqual({ source: 'web-1', text: '' });
  });

  it("cuts kubectl's [pod/<pod>/<container>] and the kubelet's timestamp, and docker's timestamp", () => {
    expect(cutLogPrefix('[pod/web-shop-7d9c5b6f4-x2x4q/web-shop] 2026-12-04T16:00:39.0012Z {', 'kubectl')).toEqual({
      source: 'pod/web-shop-7d9c5b6f4-x2x4q/web-shop',
      text: '{',
    });
    expect(cutLogPrefix('2026-12-04T16:00:39.002469134+05:30 \t"Name": "checkout",', 'timestamp')).toEqual({
      source: '',
      text: '\t"Name": "checkout",',
    });
  });

  it('leaves a line without the prefix to the caller', () => {
    expect(cutLogPrefix('Attaching to tracehop-web-shop-1', 'compose')).toBeUndefined();
    expect(cutLogPrefix('{', 'kubectl')).toBeUndefined();
    expect(cutLogPrefix('  traceId: 1', 'timestamp')).toBeUndefined();
  });
});

describe('withoutLogPrefix', () => {
  it("puts each container's lines together, in the order the containers first write", () => {
    expect(withoutLogPrefix(COMPOSE, 'compose')).toBe("{\n  traceId: 'ab',\n{");
  });
});
