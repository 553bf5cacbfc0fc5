import { quotedText } from './terminal-text';

/** Characters of a value a message shows before it cuts the rest to "...". */
const SHOWN_CHARACTERS = 40;

/**
 * A string from untrusted input as a message shows it: quoted, its first 40 characters and "..." when longer,
 * characters a terminal would act on escaped.
 */
export function shownText(text: string): string {
  return quotedText(text.length > SHOWN_CHARACTERS ? `${text.slice(0, SHOWN_CHARACTERS)}...` : text);
}

interface Shown {
  text: string;
  cut: boolean;
}

/** Appends `value` as JSON until the text passes the budget; never deeper than the budget is long. */
function write(value: unknown, out: Shown): void {
  if (out.text.length > SHOWN_CHARACTERS) {
    out.cut = true;
    return;
  }
  if (Array.isArray(value)) {
    out.text += '[';
    for (let i = 0; i < value.length && !out.cut; i++) {
      if (i > 0) out.text += ',';
      write(value[i], out);
    }
    if (!out.cut) out.text += ']';
    return;
  }
  if (typeof value === 'object' && value !== null) {
    out.text += '{';
    let first = true;
    for (const key in value) {
      if (out.cut) break;
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      out.text += `${first ? '' : ','}${shownText(key)}:`;
      first = false;
      write((value as Record<string, unknown>)[key], out);
    }
    if (!out.cut) out.text += '}';
    return;
  }
  if (typeof value === 'string') out.text += shownText(value);
  // A JSON number too large for a double parses as Infinity, which JSON.stringify would show as null.
  else if (typeof value === 'number') out.text += Number.isFinite(value) ? JSON.stringify(value) : String(value);
  else out.text += String(value);
}

/**
 * A value from untrusted input as a message shows it: a string as {@link shownText} does; anything else as JSON
 * cut to 40 characters and "...", so an array nested 5,000 deep makes a short message and no stack overflow.
 * Small values read exactly as JSON.stringify writes them.
 */
export function shownValue(value: unknown): string {
  if (typeof value === 'string') return shownText(value);
  const out: Shown = { text: '', cut: false };
  write(value, out);
  return out.cut || out.text.length > SHOWN_CHARACTERS ? `${out.text.slice(0, SHOWN_CHARACTERS)}...` : out.text;
}
