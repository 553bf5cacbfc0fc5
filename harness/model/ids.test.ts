import { parseSpanId, parseTraceId, shortId } from './ids';

describe('parseTraceId', () => {
  it('accepts 32 lowercase hex characters', () => {
    expect(parseTraceId('4bf92f3577b34da6a3ce929d0e0e4736')).toEqual({
      ok: true,
      value: '4bf92f3577b34da6a3ce929d0e0e4736',
    });
  });

  it.each([
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
    expect(parseTraceId(text)).toEqual({ ok: false, reason });
  });
});

describe('parseSpanId', () => {
  it('accepts 16 lowercase hex characters, including leading zeros', () => {
    expect(parseSpanId('00f067aa0ba902b7')).toEqual({ ok: true, value: '00f067aa0ba902b7' });
  });

  it.each([
    ['15 characters', '00f067aa0ba902b', 'wrong-length'],
    ['a trace id', '4bf92f3577b34da6a3ce929d0e0e4736', 'wrong-length'],
    ['uppercase hex', '00F067AA0BA902B7', 'uppercase-hex'],
    ['a dash', '00f067aa-ba902b7', 'not-hex'],
    ['all zeros', '0000000000000000', 'all-zero'],
  ])('rejects %s as %s', (_name, text, reason) => {
    expect(parseSpanId(text)).toEqual({ ok: false, reason });
  });
});

describe('shortId', () => {
  it('keeps the first 8 characters', () => {
    const id = parseSpanId('00f067aa0ba902b7');
    expect(id.ok && shortId(id.value)).toBe('00f067aa');
  });
});
