import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHAIN, ROOT, runCli, tempFiles } from './support';

/** checkout-broken's spans: api-gateway's POST /payments (fe444bd4) and payment-api's new trace's root (777e07e9). */
const CALL = 'fe444bd490e0f92b';
const CALLEE = '777e07e947ecf928';

type Edits = Record<
  string,
  { attributes: Record<string, string | number>; status?: { code: number; message?: string } }
>;

/** fixtures/dumps/checkout-broken.jsonl with these spans' attributes added to and status set. */
function otlp(edits: Edits): string {
  const text = readFileSync(join(ROOT, 'fixtures/dumps/checkout-broken.jsonl'), 'utf8');
  return text.replace(
    /"spanId":"([0-9a-f]{16})"(.*?)"attributes":\[\],"status":\{"code":0\}/g,
    (whole, id: string, rest) => {
      const edit = edits[id];
      if (edit === undefined) return whole;
      const attributes = Object.entries(edit.attributes).map(([key, value]) => ({
        key,
        value: typeof value === 'number' ? { intValue: value } : { stringValue: value },
      }));
      return `"spanId":"${id}"${rest as string}"attributes":${JSON.stringify(attributes)},"status":${JSON.stringify(edit.status ?? { code: 0 })}`;
    },
  );
}

/** fixtures/dumps/checkout-broken.zipkin.json with these tags added to spans. */
function zipkin(tags: Record<string, Record<string, string>>): string {
  const spans = JSON.parse(readFileSync(join(ROOT, 'fixtures/dumps/checkout-broken.zipkin.json'), 'utf8')) as Array<{
    id: string;
    tags: Record<string, string>;
  }>;
  return JSON.stringify(spans.map((span) => ({ ...span, tags: { ...span.tags, ...tags[span.id] } })));
}

/** check --json's verdict on one file. */
async function verdict(name: string, text: string): Promise<[number, unknown]> {
  const dir = tempFiles({ [name]: text });
  const { code, stdout } = await runCli(['check', '--json', `--expect=${CHAIN}`, join(dir, name)]);
  return [code, JSON.parse(stdout) as unknown];
}

/** The verdict on checkout-broken: its one run's payment call lost the trace context (payment-api's new trace c1fb3ccc). */
const broken = (headers: string): unknown => ({
  ok: false,
  traces: 2,
  spans: 7,
  problems: [
    {
      kind: 'broken-chain',
      traceId: 'c1fb3ccc6a3f105d8eaa7ca7e6e17b38',
      spanId: CALLEE,
      service: 'payment-api',
      message: `api-gateway received the request but payment-api started a new trace (c1fb3ccc instead of f20e22c7): ${headers}`,
    },
  ],
  warnings: [],
  runs: [{ traceId: 'f20e22c7fc8de46c4008c9ec7f99cbb6', journey: null, ok: false, kinds: ['broken-chain'] }],
});
const W3C =
  'api-gateway did not forward traceparent, or payment-api did not read it, as an SDK with no W3C propagator set does';
const B3 =
  'api-gateway did not forward the trace context (B3 or traceparent headers), or payment-api did not read it, as a tracer that reads the other format only does';

describe('tracehop check of a failed call that a server answered, its status message quoting a refusal', () => {
  it("ties the new trace to a Spring client's call answered 500 (Micrometer's status tag, the body quoted in its error)", async () => {
    // Spring Boot 3's RestClient through Micrometer and Brave: no http.status_code, the answer's status in
    // `status`, and the exception's message (the 500's body, payment-api's own database refusal) in `error`.
    const dump = zipkin({
      [CALL]: {
        status: '500',
        outcome: 'SERVER_ERROR',
        error: '500 Internal Server Error: "{"message":"charge failed: connect ECONNREFUSED 10.0.0.7:5432"}"',
      },
      [CALLEE]: { 'http.status_code': '500', error: 'charge failed: connect ECONNREFUSED 10.0.0.7:5432' },
    });
    expect(await verdict('spring.zipkin.json', dump)).toEqual([1, broken(B3)]);
  });

  it("ties the new trace to a gRPC call the callee answered INTERNAL, quoting its database's 'connection refused'", async () => {
    const message = 'charge failed: dial tcp 10.0.0.7:5432: connect: connection refused';
    const dump = otlp({
      [CALL]: { attributes: { 'rpc.system': 'grpc', 'rpc.grpc.status_code': 13 }, status: { code: 2, message } },
      [CALLEE]: { attributes: { 'rpc.system': 'grpc', 'rpc.grpc.status_code': 13 }, status: { code: 2, message } },
    });
    expect(await verdict('grpc.jsonl', dump)).toEqual([1, broken(W3C)]);
  });
});

describe('tracehop check of a call a proxy answered with a server error, its callee having started a new trace', () => {
  it.each([
    ['500, the callee having answered 503 (its own error, remade by the proxy)', 500, 503],
    ['503, the callee having answered 500', 503, 500],
    ["524 (Cloudflare's timeout, after forwarding), the callee having answered 200", 524, 200],
  ])('ties the new trace to the call answered %s', async (_label, status, calleeStatus) => {
    const dump = otlp({
      [CALL]: { attributes: { 'http.response.status_code': status }, status: { code: 2 } },
      [CALLEE]: {
        attributes: { 'http.response.status_code': calleeStatus },
        status: { code: calleeStatus >= 500 ? 2 : 0 },
      },
    });
    expect(await verdict('proxy.jsonl', dump)).toEqual([1, broken(W3C)]);
  });
});
