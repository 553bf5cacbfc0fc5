/**
 * Text from a dump or a request, as tracehop's output shows it: a terminal or a CI log must show each
 * character, never act on it.
 */

/**
 * Whether a terminal or a CI log acts on the character rather than shows it: C0 and C1 controls (ESC starts
 * colour and cursor sequences; CR and LF start lines), and the line separators and bidirectional overrides
 * that reorder text.
 */
export function actsOnTerminal(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/** What JSON.stringify leaves as it is of those characters: DEL, C1, line separators, bidi overrides. */
const LEFT_BY_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `\u001b` for ESC: a character written as JSON escapes it. */
export function escapedCode(code: number): string {
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `text` in double quotes as JSON.stringify writes it, with every character a terminal would act on escaped
 * (JSON itself escapes only C0 controls): `"POST \u009b2J /pay"`.
 */
export function quotedText(text: string): string {
  return JSON.stringify(text).replace(LEFT_BY_JSON, (char) => escapedCode(char.charCodeAt(0)));
}
