import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { readDumpFile } from './read-dump-file';
import { scratchDir } from '../../test-support/scratch-dir';

const dir = scratchDir('tracehop-split-');
const T = 'a'.repeat(32);

/** The message of reading `body` as `name` with a string limit of 300 bytes (V8's is about 512 MB). */
async function message(name: string, body: string | Buffer): Promise<string> {
  writeFileSync(join(dir, name), body);
  const result = await readDumpFile(join(dir, name), name, { maxTextBytes: 300, parallel: false });
  return result.ok ? 'read' : result.message;
}

const jaegerTrace = {
  traceID: T,
  processes: { p1: { serviceName: 'api-gateway', tags: [] } },
  spans: [1, 2, 3, 4].map((n) => ({ traceID: T, spanID: String(n).repeat(16), operationName: 'POST', references: [] })),
};
const zipkinSpans = [1, 2, 3, 4].map((n) => ({
  traceId: T,
  id: String(n).repeat(16),
  name: 'post',
  localEndpoint: { serviceName: 'api-gateway' },
}));
const resourceSpans = [{ resource: {}, scopeSpans: [{ spans: [{ traceId: T, spanId: '1'.repeat(16), name: 'x' }] }] }];

const tooLong = (name: string, what = 'line 1'): string =>
  `[tracehop] Failed to read spans from "${name}": ${what} is longer than 300 bytes, more than one string can hold. `;

describe('a trace store answer too long for one string', () => {
  it('gives the jq command that splits it into JSON Lines tracehop reads, for the answer it is', async () => {
    const jaeger = JSON.stringify({ data: [jaegerTrace, jaegerTrace] });
    expect([
      await message('jaeger.json', jaeger),
      await message('jaeger-list.json', JSON.stringify([jaegerTrace, jaegerTrace])),
      await message('zipkin-traces.json', JSON.stringify([zipkinSpans, zipkinSpans])),
      await message('zipkin.json', JSON.stringify(zipkinSpans)),
      await message('tempo.json', JSON.stringify({ batches: [...resourceSpans, ...resourceSpans, ...resourceSpans] })),
      await message('jaeger.json.gz', zlib.gzipSync(jaeger)),
    ]).toEqual([
      `${tooLong('jaeger.json')}Split it into JSON Lines, one Jaeger trace a line, and check those: jq -c '.data[]' jaeger.json > jaeger.split.jsonl.`,
      `${tooLong('jaeger-list.json')}Split it into JSON Lines, one Jaeger trace a line, and check those: jq -c '.[]' jaeger-list.json > jaeger-list.split.jsonl.`,
      `${tooLong('zipkin-traces.json')}Split it into JSON Lines, one Zipkin trace's spans a line, and check those: jq -c '.[]' zipkin-traces.json > zipkin-traces.split.jsonl.`,
      `${tooLong('zipkin.json')}Split it into JSON Lines, one Zipkin span a line, in a list of its own, and check those: jq -c '.[] | [.]' zipkin.json > zipkin.split.jsonl.`,
      `${tooLong('tempo.json')}Split it into JSON Lines, one ResourceSpans a line, and check those: jq -c '.batches[]' tempo.json > tempo.split.jsonl.`,
      `${tooLong('jaeger.json.gz')}Split it into JSON Lines, one Jaeger trace a line, and check those: gzip -dc jaeger.json.gz | jq -c '.data[]' > jaeger.split.jsonl.`,
    ]);
  });
});
