/** Characters of a value a message shows before it cuts the rest to "...". */
const SHOWN_CHARACTERS = 60;

interface Shown {
  text: string;
  cut: boolean;
}

function writePrimitive(value: unknown, out: Shown): void {
  if (typeof value === 'string') {
    if (value.length > SHOWN_CHARACTERS) {
      out.text += JSON.stringify(value.slice(0, SHOWN_CHARACTERS)).slice(0, -1);
      out.cut = true;
    } else out.text += JSON.stringify(value);
    return;
  }
  // A JSON number too large for a double parses as Infinity, which JSON.stringify would show as null.
  if (typeof value === 'number') out.text += Number.isFinite(value) ? JSON.stringify(value) : String(value);
  else out.text += String(value);
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
      out.text += `${first ? '' : ','}${JSON.stringify(key.length > SHOWN_CHARACTERS ? key.slice(0, SHOWN_CHARACTERS) : key)}:`;
      first = false;
      write((value as Record<string, unknown>)[key], out);
    }
    if (!out.cut) out.text += '}';
    return;
  }
  writePrimitive(value, out);
}

/**
 * A value from untrusted input as a message shows it: JSON, cut to about 60 characters with "..." after, so a
 * megabyte string or an array nested 5,000 deep makes a short message and no stack overflow. Small values
 * read exactly as JSON.stringify writes them.
 */
export function shownValue(value: unknown): string {
  const out: Shown = { text: '', cut: false };
  write(value, out);
  return out.cut ? `${out.text.slice(0, SHOWN_CHARACTERS)}...` : out.text;
}
