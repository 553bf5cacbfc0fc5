import { asSpanId, asTraceId, encodeOtlpJson, type Span } from '../model';
import { decodeJsonExport } from './otlp-receiver';
import { startBackend } from './start-backend';

const MIB = 1024 * 1024;

/** A span whose name is full of brackets: a large export that nests no deeper than any other. */
function bracketed(index: number): Span {
  return {
    traceId: asTraceId('4bf92f3577b34da6a3ce929d0e0e4736'),
    spanId: asSpanId(index.toString(16).padStart(16, '0')),
    name: `[{[{"\\\\${'['.repeat(200)}`,
    kind: 'server',
    service: 'api-gateway',
    startTimeMs: 1_700_000_000_000,
    endTimeMs: 1_700_000_000_001,
    attributes: { 'note.text': '{'.repeat(100) },
  };
}

describe('decodeJsonExport on deeply nested bodies', () => {
  it('refuses a body of 1 MiB or more that nests deeper than 1000 levels before parsing it', () => {
    expect(decodeJsonExport('['.repeat(2 * MIB))).toEqual({
      ok: false,
      reason: 'not-an-export',
      message:
        '[tracehop] Failed to decode the OTLP/JSON export: the body nests JSON deeper than 1000 levels. An ExportTraceServiceRequest nests about 10 levels, and 3 or 4 more per nested attribute value: send one as JSON.',
    });
  });

  it('parses a smaller one as before, and a large export whose strings are full of brackets', () => {
    const small = decodeJsonExport('['.repeat(MIB - 1));
    expect([small.ok, small.ok ? undefined : small.reason]).toEqual([false, 'not-json']);
    const spans = Array.from({ length: 4000 }, (_, index) => bracketed(index + 1));
    const text = JSON.stringify(encodeOtlpJson(spans));
    const decoded = decodeJsonExport(text);
    expect([
      text.length >= MIB,
      decoded.ok && decoded.value.spans.length,
      decoded.ok && decoded.value.rejected,
    ]).toEqual([true, 4000, 0]);
  });

  it('answers such a body 400 over HTTP, with the same words, and keeps serving', async () => {
    const backend = await startBackend();
    try {
      const post = (body: string) =>
        fetch(backend.urls.otlp, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const refused = await post('['.repeat(2 * MIB));
      const status = { status: refused.status, body: (await refused.json()) as unknown };
      const next = await post(JSON.stringify(encodeOtlpJson([bracketed(1)])));
      await next.text();
      expect([status, next.status, backend.store.size]).toEqual([
        {
          status: 400,
          body: {
            code: 3,
            message:
              '[tracehop] Failed to decode the OTLP/JSON export: the body nests JSON deeper than 1000 levels. An ExportTraceServiceRequest nests about 10 levels, and 3 or 4 more per nested attribute value: send one as JSON.',
          },
        },
        200,
        1,
      ]);
    } finally {
      await backend.stop();
    }
  });
});
