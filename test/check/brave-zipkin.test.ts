/**
 * `tracehop check` on what Brave and zipkin-go write. Fragments are tied to their runs by Brave's route
 * words: lower-cased span names ("post /payments") and the `http.path` tag. And B3 "shared" spans (Brave, zipkin-go: a server joins its caller's span and writes its
 * SERVER span with the caller's CLIENT span id and parent) that reached the dump as OTLP through a Collector's
 * zipkin receiver, which copies ids as they are: read as Zipkin's reader reads them, whatever the format. And
 * a hop that forwarded the context it received, in Zipkin JSON: one defect, not an id generated twice.
 */
import { encodeOtlpJson, type Span } from '../../harness/model';
import { spanWith as span } from '../../harness/model/test-support/make-span';
import { runCli, tempFiles } from './support';

const CHAIN = 'mobile-app,api-gateway,payment-api';

/** A checkout whose gateway and payment API joined their callers' spans (B3 shared), as OTLP spans. */
const sharedCheckout = (): Span[] => [
  span('a1', undefined, 'mobile-app', 'checkout', 'internal', 1, 100),
  span('a2', 'a1', 'mobile-app', 'POST', 'client', 5, 95, { 'http.url': 'https://api.example.com/checkout' }),
  span('a2', 'a1', 'api-gateway', 'post /checkout', 'server', 10, 90, { 'http.path': '/checkout' }),
  span('b2', 'a2', 'api-gateway', 'post', 'client', 20, 80, { 'http.path': '/payments' }),
  span('b2', 'a2', 'payment-api', 'post /payments', 'server', 25, 75, { 'http.path': '/payments' }),
];

async function checkJson(file: string, text: string): Promise<{ code: number; out: unknown }> {
  const dir = tempFiles({ [file]: text });
  const { code, stdout } = await runCli(['check', '--json', `--expect=${CHAIN}`, file], dir);
  const out = JSON.parse(stdout) as { problems: Array<{ kind: string; spanId: string; service: string }> };
  return { code, out: out.problems.map(({ kind, spanId, service }) => ({ kind, spanId, service })) };
}

describe('tracehop check reads B3 shared spans in any format', () => {
  it('passes a sound checkout whose shared spans came through a Collector as OTLP (no duplicate-span-id, no wrong-parent)', async () => {
    const dir = tempFiles({ 'collector.jsonl': `${JSON.stringify(encodeOtlpJson(sharedCheckout()))}\n` });
    expect(await runCli(['check', `--expect=${CHAIN}`, 'collector.jsonl'], dir)).toEqual({
      code: 0,
      stdout:
        '[tracehop] OK: 1 trace, 5 spans, no problems; mobile-app -> api-gateway -> payment-api run in one trace.\n',
      stderr: '',
    });
  });

  it('still fails a SERVER span that copied its caller CLIENT id but hangs under that CLIENT span', async () => {
    const spans = sharedCheckout();
    spans[4] = span('b2', 'b2', 'payment-api', 'post /payments', 'server', 25, 75, { 'http.path': '/payments' });
    expect(await checkJson('copied.json', JSON.stringify(encodeOtlpJson(spans)))).toEqual({
      code: 1,
      out: [{ kind: 'duplicate-span-id', spanId: 'b200000000000000', service: 'api-gateway' }],
    });
  });

  it('reports a hop that forwarded the context it received once, as wrong-parent, when two servers share one id (Zipkin)', async () => {
    const zipkin = (
      id: string,
      parent: string | undefined,
      service: string,
      kind: string,
      [start, end]: [number, number],
      shared = false,
    ) => ({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      id,
      ...(parent ? { parentId: parent } : {}),
      ...(kind ? { kind } : {}),
      name: `${service} span`,
      timestamp: 1764750000000000 + start * 1000,
      duration: (end - start) * 1000,
      localEndpoint: { serviceName: service },
      ...(shared ? { shared: true } : {}),
    });
    const spans = [
      zipkin('00f067aa0ba902b7', undefined, 'mobile-app', '', [0, 100]),
      zipkin('1111111111111111', '00f067aa0ba902b7', 'mobile-app', 'CLIENT', [5, 95]),
      zipkin('1111111111111111', '00f067aa0ba902b7', 'api-gateway', 'SERVER', [10, 90], true),
      zipkin('2222222222222222', '1111111111111111', 'api-gateway', 'CLIENT', [20, 80]),
      // The gateway sent on the traceparent it received: payment-api joined the app's CLIENT span too.
      zipkin('1111111111111111', '00f067aa0ba902b7', 'payment-api', 'SERVER', [25, 75], true),
    ];
    expect(await checkJson('zipkin.json', JSON.stringify(spans))).toEqual({
      code: 1,
      out: [{ kind: 'wrong-parent', spanId: '1111111170d99757', service: 'payment-api' }],
    });
  });
});

describe("tracehop check ties Brave's fragments by its route words", () => {
  it('ties a fragment named "post /payments" with an http.path tag to the call that lost the context', async () => {
    const zipkin = (
      traceId: string,
      id: string,
      parent: string | undefined,
      service: string,
      kind: string,
      name: string,
      [start, end]: [number, number],
      tags: Record<string, string>,
    ) => ({
      traceId,
      id,
      ...(parent ? { parentId: parent } : {}),
      ...(kind ? { kind } : {}),
      name,
      timestamp: 1764750000000000 + start * 1000,
      duration: (end - start) * 1000,
      localEndpoint: { serviceName: service },
      tags,
    });
    const run = (traceId: string, n: string, at: number, lost: boolean) => {
      const id = (k: number) => `${n}${k}`.padEnd(16, '0');
      const path = { 'http.method': 'POST', 'http.path': '/payments' };
      const spans = [
        zipkin(traceId, id(0), undefined, 'mobile-app', '', 'checkout', [at, at + 100], {}),
        zipkin(traceId, id(1), id(0), 'mobile-app', 'CLIENT', 'http post', [at + 5, at + 95], {
          'http.url': 'https://api.example.com/checkout',
        }),
        zipkin(traceId, id(2), id(1), 'api-gateway', 'SERVER', 'post /checkout', [at + 10, at + 90], {
          'http.path': '/checkout',
        }),
        zipkin(traceId, id(3), id(2), 'api-gateway', 'CLIENT', 'post', [at + 20, at + 80], path),
      ];
      const server = lost
        ? zipkin(
            'a1b2c3d4e5f60718',
            id(4),
            undefined,
            'payment-api',
            'SERVER',
            'post /payments',
            [at + 25, at + 75],
            path,
          )
        : zipkin(traceId, id(4), id(3), 'payment-api', 'SERVER', 'post /payments', [at + 25, at + 75], path);
      return [...spans, server];
    };
    const dump = [
      ...run('4bf92f3577b34da6a3ce929d0e0e4736', '1', 0, false),
      ...run('5bf92f3577b34da6a3ce929d0e0e4736', '2', 1000, true),
    ];
    const dir = tempFiles({ 'brave.json': JSON.stringify(dump) });
    const { code, stdout } = await runCli(['check', '--json', `--expect=${CHAIN}`, 'brave.json'], dir);
    const verdict = JSON.parse(stdout) as { problems: unknown[]; runs: unknown[] };
    expect([code, verdict.problems, verdict.runs]).toEqual([
      1,
      [
        {
          kind: 'broken-chain',
          traceId: '0000000000000000a1b2c3d4e5f60718',
          spanId: '2400000000000000',
          service: 'payment-api',
          message:
            'api-gateway received the request but payment-api started a new trace (a1b2c3d4 instead of 5bf92f35): api-gateway did not forward the trace context (B3 or traceparent headers), or payment-api did not read it, as a tracer that reads the other format only does',
        },
      ],
      [
        { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', journey: null, ok: true, kinds: [] },
        { traceId: '5bf92f3577b34da6a3ce929d0e0e4736', journey: null, ok: false, kinds: ['broken-chain'] },
      ],
    ]);
  });
});
