/** Small text helpers shared by the header codecs. Never re-exported. */

/** A header as codecs receive it: one line, several lines (repeated header), or absent. */
export type HeaderInput = string | readonly string[] | undefined;

/** Normalizes a header input to its list of lines; non-string items (untrusted callers) are dropped. */
export function headerLines(input: unknown): string[] {
  if (typeof input === 'string') return [input];
  if (Array.isArray(input)) return input.filter((line): line is string => typeof line === 'string');
  return [];
}

/** RFC 9110 §5.6.3 OWS: space and horizontal tab. */
export function trimOws(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isOws(text.charCodeAt(start))) start++;
  while (end > start && isOws(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

function isOws(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** Quotes a value for a detail sentence, shortened so a hostile header cannot flood a message. */
export function quote(text: string, max = 80): string {
  const shown = text.length > max ? `${text.slice(0, max)}...` : text;
  return JSON.stringify(shown);
}

const LOWER_HEX = /^[0-9a-f]*$/;
const ANY_HEX = /^[0-9a-fA-F]*$/;

/** Why a fixed-width lowercase-hex field is not valid, or undefined when it is. */
export type HexFieldProblem = 'wrong-length' | 'not-hex' | 'uppercase-hex' | 'all-zero';

/** Checks a field of `length` lowercase hex digits that must not be all zeros. */
export function checkHexField(text: string, length: number): HexFieldProblem | undefined {
  if (!ANY_HEX.test(text)) return 'not-hex';
  if (text.length !== length) return 'wrong-length';
  if (!LOWER_HEX.test(text)) return 'uppercase-hex';
  if (/^0+$/.test(text)) return 'all-zero';
  return undefined;
}

/** The detail sentence for a hex field problem, naming the field. */
export function hexFieldDetail(field: string, text: string, length: number, problem: HexFieldProblem): string {
  switch (problem) {
    case 'not-hex':
      return `${field} ${quote(text)} contains characters other than hex digits: use ${length} lowercase hex digits`;
    case 'wrong-length':
      return `${field} ${quote(text)} has ${text.length} hex digits, expected ${length}`;
    case 'uppercase-hex':
      return `${field} contains uppercase hex: lowercase it`;
    case 'all-zero':
      return `${field} is all zeros, which the spec forbids: generate a random id`;
  }
}
