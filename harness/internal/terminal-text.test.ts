import { quotedText } from './terminal-text';

describe('quotedText', () => {
  it('quotes as JSON.stringify does when no character acts on a terminal', () => {
    expect(['POST /payments', 'Zahlung "ü"', 'tab\there', ''].map(quotedText)).toEqual([
      '"POST /payments"',
      '"Zahlung \\"ü\\""',
      '"tab\\there"',
      '""',
    ]);
  });

  it('escapes what JSON leaves as it is: DEL, C1 controls, line separators and bidi overrides', () => {
    expect(
      ['a\u007fb', 'POST \u009b2J /pay', 'x\u2028y\u2029z', 'evil\u202egnp.exe', '\u2066isolate\u2069'].map(quotedText),
    ).toEqual([
      '"a\\u007fb"',
      '"POST \\u009b2J /pay"',
      '"x\\u2028y\\u2029z"',
      '"evil\\u202egnp.exe"',
      '"\\u2066isolate\\u2069"',
    ]);
  });
});
