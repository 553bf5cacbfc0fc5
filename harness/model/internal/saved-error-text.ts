/**
 * A line of plain text among JSON documents: the body of an HTTP error ("trace not found", "404 page not
 * found") that `curl >> dump.json` appended without `-f`, in place of an answer; or a comment ("# end of
 * export") that a script writing the dump echoed into it.
 */

/** The longest line read as such a body: a message, not a line of some other output. */
const SHORT_TEXT = 200;

/** What is wrong with such a line and what to do, as the JSON readers' messages name it. */
export interface SavedLineFault {
  readonly problem: string;
  readonly hint: string;
}

/** The text of `line` when it is such a body (short, and nothing in it JSON's punctuation); else undefined. */
function savedErrorText(line: string): string | undefined {
  const text = line.trim();
  if (text.length === 0 || text.length > SHORT_TEXT || /[{}[\]":]/.test(text)) return undefined;
  return text;
}

/** The fault of `line` when it is a comment (`# ...`, a shell script's, or `// ...`); else undefined. */
export function commentFault(line: string): SavedLineFault | undefined {
  const text = line.trim();
  if (!text.startsWith('#') && !text.startsWith('//')) return undefined;
  return {
    problem: `is the comment ${JSON.stringify(text)}, not JSON: JSON has no comments`,
    hint: 'Delete the line (a script that writes the dump should write its comments elsewhere) and check the file again.',
  };
}

/** The fault of `line` when it is a comment or an HTTP error's body rather than JSON; else undefined. */
export function savedLineFault(line: string): SavedLineFault | undefined {
  // A comment is never an HTTP error's body.
  const comment = commentFault(line);
  if (comment !== undefined) return comment;
  const text = line.trim();
  const saved = savedErrorText(text);
  if (saved === undefined) return undefined;
  return {
    problem: `is the text ${JSON.stringify(saved)}, not JSON (the body of an HTTP error, which curl without -f saves in place of an answer?)`,
    hint: 'Fetch that answer again with curl -f, which fails on an HTTP error instead of saving its body, or delete the line to check the rest.',
  };
}
