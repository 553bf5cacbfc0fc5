import { errorMessage } from '../../internal/result';

/** One document of a file of several: its value and the 1-based line it starts on. */
export interface JsonDocument {
  readonly value: unknown;
  readonly line: number;
}

/** V8's words when a document is followed by more text: where the first one ended. */
const AFTER = /after JSON at position (\d+)/;

/**
 * The documents of a text that holds several JSON documents one after another (`curl >> dump.json` of
 * several traces, `jq .` of several responses), given JSON.parse's error for the whole text. Undefined
 * when that error is not "more text after the JSON" (the text is broken, not concatenated); a document
 * that does not parse gives its error and the offset it starts at. Each parse stops at the end of its
 * document, so the whole text is read about once.
 */
export function splitJsonDocuments(
  text: string,
  wholeError: unknown,
): { ok: true; documents: JsonDocument[] } | { ok: false; offset: number; error: unknown } | undefined {
  let match = AFTER.exec(errorMessage(wholeError));
  if (!match) return undefined;
  const documents: JsonDocument[] = [];
  let offset = 0;
  let documentStart = 0;
  let line = 1;
  // Blank lines before the first document (a caller keeping line numbers of the file) count too.
  while (documentStart < text.length && /\s/.test(text.charAt(documentStart)))
    if (text.charCodeAt(documentStart++) === 10) line++;
  for (;;) {
    const end = offset + Number(match[1]);
    documents.push({ value: JSON.parse(text.slice(offset, end)) as unknown, line });
    offset = end;
    while (offset < text.length && /\s/.test(text.charAt(offset))) offset++;
    if (offset >= text.length) return { ok: true, documents };
    for (let i = documentStart; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
    documentStart = offset;
    const rest = text.slice(offset);
    try {
      documents.push({ value: JSON.parse(rest) as unknown, line });
      return { ok: true, documents };
    } catch (error) {
      match = AFTER.exec(errorMessage(error));
      if (!match) return { ok: false, offset, error };
    }
  }
}
