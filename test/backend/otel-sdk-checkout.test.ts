import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendUrls, FaultName } from '../../harness/backend';
import { decodeOtlpJson, type CapturedRequest, type Span } from '../../harness/model';
import { checkCaptures } from '../../harness/verify/capture';
import { verifySpans } from '../../harness/verify';
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
