import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendUrls, FaultName } from '../../harness/backend';
import { decodeOtlpJson, type CapturedRequest, type Span } from '../../harness/model';
import { checkCaptures } from '../../harness/verify/capture';
import { mergeEvidence, verifySpans, type Problem } from '../../harness/verify';
import { scratchDir } from '../../harness/test-support/scratch-dir';
import { ROOT, runCli, runNode, startServe, type ServeProcess } from './support/serve-process';

const SDK_APP = join(__dirname, 'support', 'sdk-app.ts');
const TSCONFIG = join(ROOT, 'tsconfig.json');

const CHAIN = ['mobile-app', 'api-gateway', 'payment-api', 'fraud-service'];
type ExporterKind = 'json' | 'protobuf';

let workDir: string;

beforeAll(() => {
  workDir = scratchDir('tracehop-otel-');
});

/** Runs one checkout journey in the SDK-instrumented app process; resolves with the gateway's status. */
async function checkout(kind: ExporterKind, urls: BackendUrls, baggage?: string): Promise<number> {
  const result = await runNode(
    [
      '-r',
      'ts-node/register/transpile-only',
      SDK_APP,
      kind,
      urls.services['api-gateway']!,
      urls.otlp,
      ...(baggage ? [baggage] : []),
    ],
    { TS_NODE_PROJECT: TSCONFIG },
  );
  if (result.code !== 0) throw new Error(`the SDK app failed: ${result.stderr}`);
  return (JSON.parse(result.stdout) as { status: number }).status;
}

async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  return (await response.json()) as T;
}

async function storedSpans(urls: BackendUrls): Promise<{ text: string; spans: Span[] }> {
  const text = await (await fetch(urls.spans)).text();
  const decoded = decodeOtlpJson(text, 'spans-url');
  if (!decoded.ok) throw new Error(decoded.message);
  return { text, spans: decoded.spans };
}

describe.each<ExporterKind>(['json', 'protobuf'])('a checkout from the official SDK exporting OTLP %s', (kind) => {
  let serve: ServeProcess | undefined;

  afterEach(async () => {
    const code = await serve?.stop();
    serve = undefined;
    expect(code).toBe(0);
  });

  it('passes tracehop check through mobile-app, api-gateway, payment-api and fraud-service', async () => {
    serve = await startServe([]);
    expect(await checkout(kind, serve.urls)).toBe(200);
    const { text, spans } = await storedSpans(serve.urls);
    expect(
      spans
        .filter((span) => span.service === 'mobile-app')
        .map((span) => span.kind)
        .sort(),
    ).toEqual(['client', 'internal']);
    const file = join(workDir, `${kind}-clean.json`);
    writeFileSync(file, text);
    const result = await runCli(['check', '--expect', CHAIN.join(','), '--json', file]);
    expect({ code: result.code, problems: (JSON.parse(result.stdout) as { problems: unknown[] }).problems }).toEqual({
      code: 0,
      problems: [],
    });
  });

  it('reports broken-chain from tracehop check with --faults api-gateway:drop-traceparent', async () => {
    serve = await startServe(['--faults', 'api-gateway:drop-traceparent']);
    await checkout(kind, serve.urls);
    const { text } = await storedSpans(serve.urls);
    const file = join(workDir, `${kind}-drop.json`);
    writeFileSync(file, text);
    const result = await runCli(['check', '--expect', CHAIN.join(','), '--json', file]);
    const kinds = (JSON.parse(result.stdout) as { problems: { kind: string }[] }).problems.map(
      (problem) => problem.kind,
    );
    expect({ code: result.code, kinds }).toEqual({ code: 1, kinds: ['broken-chain'] });
  });
});

describe('each fault of tracehop serve, with the official SDK as the app', () => {
  let serve: ServeProcess | undefined;

  afterEach(async () => {
    await serve?.stop();
    serve = undefined;
  });

  test.each<[FaultName, string[]]>([
    ['new-trace', ['broken-chain', 'header-span-mismatch', 'orphan-span']],
    ['uppercase-traceparent', ['broken-chain', 'invalid-header']],
    ['rewrite-parent', ['header-span-mismatch', 'orphan-span']],
    ['duplicate-traceparent', ['broken-chain', 'invalid-header']],
    ['b3-only', ['broken-chain']],
    ['unsampled', ['sampling-mismatch']],
    ['strip-tracestate', ['header-span-mismatch']],
    ['strip-baggage', ['header-span-mismatch']],
  ])('--faults payment-api:%s gives %j', async (fault, kinds) => {
    // The app sends baggage so strip-baggage has something to strip.
    serve = await startServe(['--faults', `payment-api:${fault}`]);
    await checkout('json', serve.urls, 'cart=1');
    const { spans } = await storedSpans(serve.urls);
    const captures = await fetchJson<CapturedRequest[]>(serve.urls.spans.replace('/spans', '/captures'));
    const found = [...verifySpans(spans, { expect: CHAIN }).problems, ...checkCaptures(captures, spans)].map(
      (problem) => problem.kind,
    );
    expect([...new Set(found)].sort()).toEqual(kinds);
  });
});

describe('a serve dump of a checkout through --faults api-gateway:strip-tracestate', () => {
  let serve: ServeProcess | undefined;

  afterEach(async () => {
    await serve?.stop();
    serve = undefined;
  });

  it('gives tracehop check the live run verdict: payment-api lost the tracestate of api-gateway', async () => {
    serve = await startServe(['--faults', 'api-gateway:strip-tracestate']);
    expect(await checkout('json', serve.urls)).toBe(200);
    const { text, spans } = await storedSpans(serve.urls);
    const captures = await fetchJson<CapturedRequest[]>(serve.urls.spans.replace('/spans', '/captures'));
    const live = mergeEvidence(verifySpans(spans, { expect: CHAIN }).problems, checkCaptures(captures, spans), CHAIN);
    const file = join(workDir, 'strip-tracestate.json');
    writeFileSync(file, text);
    const result = await runCli(['check', '--expect', CHAIN.join(','), '--json', file]);
    const { problems } = JSON.parse(result.stdout) as { problems: Problem[] };
    const call = spans.find((span) => span.service === 'api-gateway' && span.kind === 'client');
    const server = spans.find((span) => span.service === 'payment-api' && span.kind === 'server');
    // The live run names the same call, service and header from the capture log.
    const anchor = (problem: Problem): unknown =>
      problem.kind === 'header-span-mismatch'
        ? [problem.kind, problem.traceId, problem.spanId, problem.service, problem.header, problem.headerValue]
        : problem.kind;
    expect({ code: result.code, stderr: result.stderr, problems, live: live.map(anchor) }).toEqual({
      code: 1,
      stderr: '',
      problems: [
        {
          kind: 'header-span-mismatch',
          traceId: call?.traceId,
          spanId: call?.spanId,
          service: 'payment-api',
          message: `payment-api "POST /payments" (${server?.spanId.slice(0, 8) ?? ''}) has no tracestate although api-gateway's call span "POST /payments" (${call?.spanId.slice(0, 8) ?? ''}) carries "tracehop=api-gateway": a proxy between them strips the tracestate header, or payment-api read its context with a propagator that has no tracestate (B3 alone); fix: let the proxy between them pass tracestate through`,
        },
      ],
      live: [['header-span-mismatch', call?.traceId, call?.spanId, 'payment-api', 'tracestate', '']],
    });
  });
});
