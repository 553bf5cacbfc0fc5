/**
 * A line of plain text among JSON documents: the body of an HTTP error ("trace not found", "404 page not
 * found") that `curl >> dump.json` appended without `-f`, in place of an answer.
 */

/** The longest line read as such a body: a message, not a line of some other output. */
const SHORT_TEXT = 200;

/** The text of `line` when it is such a body (short, and nothing in it JSON's punctuation); else undefined. */
export function savedErrorText(line: string): string | undefined {
  const text = line.trim();
  if (text.length === 0 || text.length > SHORT_TEXT || /[{}[\]":]/.test(text)) return undefined;
  return text;
}

/** The problem and hint for such a line, as the JSON readers' messages name it. */
export function savedErrorFault(text: string): { problem: string; hint: string } {
  return {
    problem: `is the text ${JSON.stringify(text)}, not JSON (the body of an HTTP error, which curl without -f saves in place of an answer?)`,
    hint: 'Fetch that answer again with curl -f, which fails on an HTTP error instead of saving its body, or delete the line to check the rest.',
  };
}
