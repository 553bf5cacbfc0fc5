import { parseSpanId, parseTraceId, shortId, shortIdsApart, type IdReason, type TraceId } from './ids';

const TRACE_ID_MESSAGES: Record<IdReason, string> = {
  'wrong-length': 'the trace id is not 32 characters long',
  'not-hex': 'the trace id has characters that are not hex',
  'uppercase-hex': 'the trace id has uppercase hex: lowercase it',
  'all-zero': 'the trace id is all zeros, which means none',
};
const SPAN_ID_MESSAGES: Record<IdReason, string> = {
  'wrong-length': 'the span id is not 16 characters long',
  'not-hex': 'the span id has characters that are not hex',
  'uppercase-hex': 'the span id has uppercase hex: lowercase it',
  'all-zero': 'the span id is all zeros, which means none',
};

describe('parseTraceId', () => {
  it('accepts 32 lowercase hex characters', () => {
    expect(parseTraceId('4bf92f3577b34da6a3ce929d0e0e4736')).toEqual({
      ok: true,
      value: '4bf92f3577b34da6a3ce929d0e0e4736',
    });
  });

  it.each<[string, string, IdReason]>([
    ['empty', '', 'wrong-length'],
    ['31 characters', '4bf92f3577b34da6a3ce929d0e0e473', 'wrong-length'],
    ['33 characters', '4bf92f3577b34da6a3ce929d0e0e47360', 'wrong-length'],
    ['uppercase hex', '4BF92F3577B34DA6A3CE929D0E0E4736', 'uppercase-hex'],
    ['one uppercase digit', '4bf92f3577b34da6a3ce929d0e0e473A', 'uppercase-hex'],
    ['a g', '4bf92f3577b34da6a3ce929d0e0e473g', 'not-hex'],
    ['uppercase and not hex', 'A000000000000000000000000000000z', 'not-hex'],
    ['a space', '4bf92f3577b34da6a3ce929d0e0e473 ', 'not-hex'],
    ['a non-ASCII digit', '4bf92f3577b34da6a3ce929d0e0e473٣', 'not-hex'],
    ['all zeros', '00000000000000000000000000000000', 'all-zero'],
  ])('rejects %s as %s', (_name, text, reason) => {
    expect(parseTraceId(text)).toEqual({ ok: false, reason, message: TRACE_ID_MESSAGES[reason] });
  });
});

describe('parseSpanId', () => {
  it('accepts 16 lowercase hex characters, including leading zeros', () => {
    expect(parseSpanId('00f067aa0ba902b7')).toEqual({ ok: true, value: '00f067aa0ba902b7' });
  });

  it.each<[string, string, IdReason]>([
    ['15 characters', '00f067aa0ba902b', 'wrong-length'],
    ['a trace id', '4bf92f3577b34da6a3ce929d0e0e4736', 'wrong-length'],
    ['uppercase hex', '00F067AA0BA902B7', 'uppercase-hex'],
    ['a dash', '00f067aa-ba902b7', 'not-hex'],
    ['all zeros', '0000000000000000', 'all-zero'],
  ])('rejects %s as %s', (_name, text, reason) => {
    expect(parseSpanId(text)).toEqual({ ok: false, reason, message: SPAN_ID_MESSAGES[reason] });
  });
});

describe('shortIdsApart', () => {
  it("names two traces of one second (aiozipkin's and Brave's 128-bit ids start with the time) in full", () => {
    const a = '6b132df4f715787800d03dfb422358a9' as TraceId;
    const b = '6b132df44cf6b154bdc2168c1d8b66f8' as TraceId;
    const c = '6b132df5596ebc80e5302e59658912d6' as TraceId;
    expect([shortIdsApart(a, b), shortIdsApart(a, c), shortIdsApart(a, a)]).toEqual([
      [a, b],
      ['6b132df4', '6b132df5'],
      ['6b132df4', '6b132df4'],
    ]);
  });
});

describe('shortId', () => {
  it('keeps the first 8 characters', () => {
    const id = parseSpanId('00f067aa0ba902b7');
    expect(id.ok && shortId(id.value)).toBe('00f067aa');
  });

  it('shows a 64-bit trace id padded to 32 by its own first 8, not by the padding', () => {
    const ids = [
      '00000000000000004bf92f3577b34da6',
      '4bf92f3577b34da6a3ce929d0e0e4736',
      '0000000000000000000000000000000a',
    ];
    expect(ids.map((text) => shortId(text as TraceId))).toEqual(['4bf92f35', '4bf92f35', '0000000a']);
  });

  it('shows a small numeric id by its last 8, and an id of zeros as zeros', () => {
    const ids = ['0000000000000001', '00000000000000ff', '0000000100000000', '0000000000000000'];
    expect(ids.map((text) => shortId(text as TraceId))).toEqual(['00000001', '000000ff', '00000001', '00000000']);
  });
});
