import { errorMessage } from '../../internal/result';
import { splitJsonDocuments } from './concatenated-json';

/** JSON.parse's error for the whole text, as the callers hand it over. */
function wholeError(text: string): unknown {
  try {
    JSON.parse(text);
  } catch (error) {
    return error;
  }
  throw new Error('the text parses whole');
}

const split = (text: string) => {
  const result = splitJsonDocuments(text, wholeError(text));
  if (result === undefined) return undefined;
  return result.ok
    ? result.documents.map((document) => [document.line, document.value])
    : [result.offset, errorMessage(result.error).split(/, |\n| \(line/)[0]];
};

describe('splitJsonDocuments', () => {
  it('reads small documents and large ones (past the scan window) in order, each with the line it starts on', () => {
    const large = { resourceSpans: [{ name: 'x'.repeat(10_000) }] };
    const text = `\n{"a":1}{"b":[2,{"c":"}"}]}\n${JSON.stringify(large)}\n\n  "tail" [3]`;
    expect(split(text)).toEqual([
      [2, { a: 1 }],
      [2, { b: [2, { c: '}' }] }],
      [3, large],
      [5, 'tail'],
      [5, [3]],
    ]);
  });

  it('gives the offset and JSON.parse error of a broken document, small or large', () => {
    const large = `{"a":"${'x'.repeat(10_000)}",}`;
    expect([split('{"a":1}{"b":tru}'), split(`{"a":1} ${large}`), split('{} 01')]).toEqual([
      [7, `Unexpected token '}'`],
      [8, `Expected double-quoted property name in JSON at position ${large.length - 1}`],
      // JSON.parse refuses "01"; a scan alone would read it as the documents 0 and 1.
      [3, 'Unexpected number in JSON at position 1'],
    ]);
  });

  it('is not asked to split a text that is broken rather than concatenated', () => {
    expect(split('{"a":')).toBeUndefined();
  });

  it('reads 200,000 tiny documents (400 kB of "{}") as documents', () => {
    const result = splitJsonDocuments('{}'.repeat(200_000), wholeError('{}{}'));
    expect(result?.ok && [result.documents.length, result.documents[199_999]]).toEqual([
      200_000,
      { value: {}, line: 1 },
    ]);
  });
});
