import { errorMessage } from '../../internal/result';
import { jsonErrorOffset } from '../../internal/json-error-offset';

/** One document of a file of several: its value and the 1-based line it starts on. */
export interface JsonDocument {
  readonly value: unknown;
  readonly line: number;
}

/** V8's words when a document is followed by more text: where the first one ended. */
const AFTER = /after JSON at position (\d+)/;

/**
 * Characters scanned (in JavaScript, without a throw) for the end of a next document before JSON.parse is
 * asked instead: a throw costs about 11 µs, a scan of this many characters about as much.
 */
const SCAN_WINDOW = 4096;

/** The next document: its value and where it ends (relative), the text's last one, or its error. */
type Next =
  | { readonly kind: 'more'; readonly value: unknown; readonly end: number }
  | { readonly kind: 'last'; readonly value: unknown }
  | { readonly kind: 'error'; readonly error: unknown };

/** Reads the document that starts at `offset` (no whitespace before it). */
function nextDocument(text: string, offset: number): Next {
  // A small object or array: its end is found by a scan of the window, and JSON.parse then reads it without a
  // throw. (Only those: a scalar's end is not its own, e.g. "01", which JSON.parse refuses, scans as 0 and 1.)
  const window = text.slice(offset, offset + SCAN_WINDOW);
  const opens = window.charCodeAt(0) === 0x7b || window.charCodeAt(0) === 0x5b;
  const stop = opens ? jsonErrorOffset(window) : -1;
  if (stop > 0 && stop < window.length) {
    try {
      return { kind: 'more', value: JSON.parse(window.slice(0, stop)) as unknown, end: stop };
    } catch {
      // Broken inside the window: JSON.parse of the rest below names the fault as it does for any document.
    }
  }
  const rest = text.slice(offset);
  try {
    return { kind: 'last', value: JSON.parse(rest) as unknown };
  } catch (error) {
    const match = AFTER.exec(errorMessage(error));
    if (!match) return { kind: 'error', error };
    const end = Number(match[1]);
    return { kind: 'more', value: JSON.parse(rest.slice(0, end)) as unknown, end };
  }
}

/**
 * The documents of a text that holds several JSON documents one after another (`curl >> dump.json` of
 * several traces, `jq .` of several responses), given JSON.parse's error for the whole text. Undefined
 * when that error is not "more text after the JSON" (the text is broken, not concatenated); a document
 * that does not parse gives its error and the offset it starts at. Each document is parsed once (a large
 * one twice at most), so the whole text is read about once, with no throw per small document.
 */
export function splitJsonDocuments(
  text: string,
  wholeError: unknown,
): { ok: true; documents: JsonDocument[] } | { ok: false; offset: number; error: unknown } | undefined {
  const first = AFTER.exec(errorMessage(wholeError));
  if (!first) return undefined;
  const documents: JsonDocument[] = [];
  let offset = 0;
  let documentStart = 0;
  let line = 1;
  // Blank lines before the first document (a caller keeping line numbers of the file) count too.
  while (documentStart < text.length && /\s/.test(text.charAt(documentStart)))
    if (text.charCodeAt(documentStart++) === 10) line++;
  let end = Number(first[1]);
  documents.push({ value: JSON.parse(text.slice(0, end)) as unknown, line });
  for (;;) {
    offset += end;
    while (offset < text.length && /\s/.test(text.charAt(offset))) offset++;
    if (offset >= text.length) return { ok: true, documents };
    for (let i = documentStart; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
    documentStart = offset;
    const next = nextDocument(text, offset);
    if (next.kind === 'error') return { ok: false, offset, error: next.error };
    documents.push({ value: next.value, line });
    if (next.kind === 'last') return { ok: true, documents };
    end = next.end;
  }
}
