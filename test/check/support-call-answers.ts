/**
 * checkout-broken (fixtures/dumps) with its payment call and payment-api's new trace edited, and the verdicts
 * tracehop gives it: for the tests of how a failed call's answer ties, or leaves, payment-api's new trace.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHAIN, ROOT, runCli, tempFiles } from './support';

/** checkout-broken's spans: api-gateway's POST /payments (fe444bd4) and payment-api's new trace's root (777e07e9). */
export const CALL = 'fe444bd490e0f92b';
export const CALLEE = '777e07e947ecf928';

export type Edits = Record<
  string,
  {
    attributes: Record<string, string | number>;
    status?: { code: number; message?: string };
    /** `exception` events: each one's exception.type and exception.message. */
    exceptions?: Array<{ type: string; message: string }>;
  }
>;

/** An OTLP exception event, as the SDKs' recordException writes it (the stack trace left out). */
const exceptionEvent = ({ type, message }: { type: string; message: string }): unknown => ({
  timeUnixNano: '1764115200050000000',
  name: 'exception',
  attributes: [
    { key: 'exception.type', value: { stringValue: type } },
    { key: 'exception.message', value: { stringValue: message } },
  ],
});

/** fixtures/dumps/checkout-broken.jsonl with these spans' attributes added to, status set and exceptions recorded. */
export function otlp(edits: Edits): string {
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
      const events = edit.exceptions ? `,"events":${JSON.stringify(edit.exceptions.map(exceptionEvent))}` : '';
      return `"spanId":"${id}"${rest as string}"attributes":${JSON.stringify(attributes)},"status":${JSON.stringify(edit.status ?? { code: 0 })}${events}`;
    },
  );
}

/** fixtures/dumps/checkout-broken.zipkin.json with these tags added to spans. */
export function zipkin(tags: Record<string, Record<string, string>>): string {
  const spans = JSON.parse(readFileSync(join(ROOT, 'fixtures/dumps/checkout-broken.zipkin.json'), 'utf8')) as Array<{
    id: string;
    tags: Record<string, string>;
  }>;
  return JSON.stringify(spans.map((span) => ({ ...span, tags: { ...span.tags, ...tags[span.id] } })));
}

/** check --json's verdict on one file. */
export async function verdict(name: string, text: string): Promise<[number, unknown]> {
  const dir = tempFiles({ [name]: text });
  const { code, stdout } = await runCli(['check', '--json', `--expect=${CHAIN}`, join(dir, name)]);
  return [code, JSON.parse(stdout) as unknown];
}

/** The verdict on checkout-broken: its one run's payment call lost the trace context (payment-api's new trace c1fb3ccc). */
export const broken = (headers: string): unknown => ({
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
export const W3C =
  'api-gateway did not forward traceparent, or payment-api did not read it, as an SDK with no W3C propagator set does';
export const B3 =
  'api-gateway did not forward the trace context (B3 or traceparent headers), or payment-api did not read it, as a tracer that reads the other format only does';

/**
 * The verdict on checkout-broken when its payment call reached nobody: payment-api's new trace is another client's.
 * `status` is the call's status message as the verdict quotes it (its first line, cut at 120 characters), if any.
 */
export const neverReached = (status?: string) => ({
  ok: false,
  traces: 2,
  spans: 7,
  problems: [
    {
      kind: 'missing-service',
      traceId: 'f20e22c7fc8de46c4008c9ec7f99cbb6',
      spanId: null,
      service: 'payment-api',
      message: `payment-api has no span in trace f20e22c7: api-gateway's call "POST /payments" (fe444bd4) failed (its span's status is ERROR${status === undefined ? '' : `: "${status}"`}) and got no answer in this trace: most likely it never reached payment-api, so the run did not get past this hop (a failed attempt, not a lost trace context, when a retry in another run completed the chain)`,
    },
  ],
  warnings: [],
  runs: [{ traceId: 'f20e22c7fc8de46c4008c9ec7f99cbb6', journey: null, ok: false, kinds: ['missing-service'] }],
});

/**
 * neverReached when the call failed with Envoy's own 503 and Envoy says it forwarded nothing (`how`: its
 * response_flags, or that the call's error quotes its body).
 */
export const envoyNeverReached = (how: string): ReturnType<typeof neverReached> => ({
  ...neverReached(),
  problems: neverReached().problems.map((problem) => ({
    ...problem,
    message: `payment-api has no span in trace f20e22c7: api-gateway's call "POST /payments" (fe444bd4) failed with HTTP 503, answered by Envoy itself, which forwarded nothing (${how}): it never reached payment-api, so the run did not get past this hop (a failed attempt, not a lost trace context, when a retry in another run completed the chain)`,
  })),
});
