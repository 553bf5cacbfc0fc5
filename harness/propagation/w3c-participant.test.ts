import { asSpanId, asTraceId, type HeaderEntry, type SpanId, type TraceId } from '../model';
import { continueW3c } from './w3c-participant';

const TRACE = '12345678901234567890123456789012';
const PARENT = '1234567890123456';
const OUR_SPAN = 'aaaaaaaaaaaaaaaa';
const NEW_TRACE = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

const newSpanId = (): SpanId => asSpanId(OUR_SPAN);
const newTraceId = (): TraceId => asTraceId(NEW_TRACE);
const decide = (headers: HeaderEntry[]) => continueW3c(headers, newSpanId, newTraceId);

describe('continueW3c', () => {
  it('continues a valid traceparent with our span as the parent and forwards tracestate', () => {
    expect(
      decide([
        ['traceparent', `00-${TRACE}-${PARENT}-01`],
        ['tracestate', 'foo=1,bar=2'],
      ]),
    ).toEqual({
      traceparent: `00-${TRACE}-${OUR_SPAN}-01`,
      tracestate: 'foo=1,bar=2',
      restarted: false,
      parent: { traceId: TRACE, parentId: PARENT, traceFlags: 1 },
    });
  });

  it('starts a new sampled trace with random ids when no traceparent arrives, dropping tracestate', () => {
    expect(decide([['tracestate', 'foo=1']])).toEqual({
      traceparent: `00-${NEW_TRACE}-${OUR_SPAN}-03`,
      restarted: true,
      reason: 'missing',
      tracestateDropped: 'restarted',
    });
  });

  it('uses the restart flags it is given', () => {
    expect(continueW3c([], newSpanId, newTraceId, { restartFlags: 0 }).traceparent).toBe(
      `00-${NEW_TRACE}-${OUR_SPAN}-00`,
    );
  });

  it('keeps the random flag and zeroes flags this spec level does not define', () => {
    expect(decide([['traceparent', `00-${TRACE}-${PARENT}-fe`]]).traceparent).toBe(`00-${TRACE}-${OUR_SPAN}-02`);
  });

  it('downgrades a future version to 00', () => {
    expect(decide([['traceparent', `cc-${TRACE}-${PARENT}-01-what-the-future-will-be-like`]]).traceparent).toBe(
      `00-${TRACE}-${OUR_SPAN}-01`,
    );
  });

  const restarts: [string, HeaderEntry[], string][] = [
    [
      'duplicated traceparent',
      [
        ['traceparent', `00-${TRACE}-${PARENT}-01`],
        ['traceparent', `00-${TRACE}-${PARENT}-01`],
      ],
      'duplicate-header',
    ],
    ['version ff', [['traceparent', `ff-${TRACE}-${PARENT}-01`]], 'version-ff'],
    ['version 00 with extra fields', [['traceparent', `00-${TRACE}-${PARENT}-01-extra`]], 'too-long'],
    ['all-zero trace id', [['traceparent', `00-${'0'.repeat(32)}-${PARENT}-01`]], 'all-zero-trace-id'],
    ['all-zero parent id', [['traceparent', `00-${TRACE}-${'0'.repeat(16)}-01`]], 'all-zero-parent-id'],
    ['uppercase trace id', [['traceparent', `00-${TRACE.replace('1', 'A')}-${PARENT}-01`]], 'uppercase-hex'],
    ['wrong header name', [['trace-parent', `00-${TRACE}-${PARENT}-01`]], 'missing'],
  ];

  it.each(restarts)('restarts the trace on a %s', (_name, headers, reason) => {
    expect(decide([...headers, ['tracestate', 'foo=1']])).toEqual({
      traceparent: `00-${NEW_TRACE}-${OUR_SPAN}-03`,
      restarted: true,
      reason,
      tracestateDropped: 'restarted',
    });
  });

  const tracestates: [string, string[], string | undefined][] = [
    ['drops an invalid key', ['foo.bar=1'], undefined],
    ['drops more than 32 members', [Array.from({ length: 33 }, (_, i) => `k${i}=${i}`).join(',')], undefined],
    ['keeps the first of duplicate keys', ['foo=1', 'foo=2,bar=3'], 'foo=1,bar=3'],
    ['combines lines in order', ['foo=1,bar=2', 'rojo=1', 'baz=3'], 'foo=1,bar=2,rojo=1,baz=3'],
    ['sends no header for an empty tracestate', [''], undefined],
    ['removes OWS', ['\t foo=1 \t'], 'foo=1'],
  ];

  it.each(tracestates)('tracestate: %s', (_name, lines, expected) => {
    const result = decide([
      ['traceparent', `00-${TRACE}-${PARENT}-00`],
      ...lines.map((line): HeaderEntry => ['tracestate', line]),
    ]);
    expect([result.restarted, result.tracestate]).toEqual([false, expected]);
  });

  it('restarts on malformed header entries from untrusted callers instead of throwing', () => {
    expect(continueW3c([null, ['traceparent']] as unknown as HeaderEntry[], newSpanId, newTraceId)).toEqual({
      traceparent: `00-${NEW_TRACE}-${OUR_SPAN}-03`,
      restarted: true,
      reason: 'missing',
    });
  });

  it('says why it dropped a tracestate', () => {
    expect(
      decide([
        ['traceparent', `00-${TRACE}-${PARENT}-00`],
        ['tracestate', 'foo=bar=baz'],
      ]).tracestateDropped,
    ).toBe('invalid-value');
  });
});
