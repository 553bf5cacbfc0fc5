/**
 * Finds where a JSON text stops being valid (RFC 8259), for error messages when V8's JSON.parse message
 * names no position. Only called after JSON.parse failed. Iterative, with an explicit stack of open
 * containers, so deep nesting cannot overflow the call stack; builds no values.
 */

const OBJECT = 1;
const ARRAY = 2;

const enum State {
  Value,
  ValueOrEnd,
  Key,
  KeyOrEnd,
  Colon,
  After,
}

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isHex(code: number): boolean {
  return isDigit(code) || (code >= 0x61 && code <= 0x66) || (code >= 0x41 && code <= 0x46);
}

const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't'].map((c) => c.charCodeAt(0)));

/** Scans a string starting at its opening quote; returns the offset after it, or -(error offset) - 1. */
function scanString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return i + 1;
    if (code < 0x20) return -i - 1;
    if (code !== 0x5c) {
      i++;
      continue;
    }
    const next = text.charCodeAt(i + 1);
    if (ESCAPES.has(next)) {
      i += 2;
    } else if (next === 0x75) {
      for (let k = 2; k < 6; k++) if (!isHex(text.charCodeAt(i + k))) return -Math.min(i + k, text.length) - 1;
      i += 6;
    } else {
      return -Math.min(i + 1, text.length) - 1;
    }
  }
  return -text.length - 1;
}

/** Scans a number; returns the offset after it, or -(error offset) - 1. */
function scanNumber(text: string, start: number): number {
  let i = start;
  if (text.charCodeAt(i) === 0x2d) i++;
  if (text.charCodeAt(i) === 0x30) i++;
  else if (isDigit(text.charCodeAt(i))) while (isDigit(text.charCodeAt(i))) i++;
  else return -i - 1;
  if (text.charCodeAt(i) === 0x2e) {
    i++;
    if (!isDigit(text.charCodeAt(i))) return -i - 1;
    while (isDigit(text.charCodeAt(i))) i++;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    i++;
    const sign = text.charCodeAt(i);
    if (sign === 0x2b || sign === 0x2d) i++;
    if (!isDigit(text.charCodeAt(i))) return -i - 1;
    while (isDigit(text.charCodeAt(i))) i++;
  }
  return i;
}

const LITERALS = ['true', 'false', 'null'];

/**
 * The open containers, one bit each (1 for an object), 32 to a word: a text of hundreds of megabytes of "["
 * must not grow a JavaScript array past what V8 can hold (a fatal error), and 32 levels a word keeps even
 * 500 million levels at 16 million words.
 */
class ContainerStack {
  // A plain array: cheaper to make than a typed array for the many short texts splitJsonDocuments scans.
  private readonly bits: number[] = [];
  length = 0;

  push(kind: number): void {
    const word = this.length >>> 5;
    if (word >= this.bits.length) this.bits.push(0);
    const mask = 1 << (this.length & 31);
    this.bits[word] = kind === OBJECT ? (this.bits[word] ?? 0) | mask : (this.bits[word] ?? 0) & ~mask;
    this.length++;
  }

  pop(): void {
    if (this.length > 0) this.length--;
  }

  /** OBJECT or ARRAY for the innermost open container, undefined when none is open. */
  top(): number | undefined {
    if (this.length === 0) return undefined;
    const at = this.length - 1;
    return ((this.bits[at >>> 5] ?? 0) >>> (at & 31)) & 1 ? OBJECT : ARRAY;
  }
}

/** Offset of the first character that makes `text` invalid JSON (text.length if it ends too early), or -1. */
export function jsonErrorOffset(text: string): number {
  const stack = new ContainerStack();
  let state = State.Value;
  let i = 0;
  for (;;) {
    while (i < text.length && isWhitespace(text.charCodeAt(i))) i++;
    if (i >= text.length) return state === State.After && stack.length === 0 ? -1 : text.length;
    const code = text.charCodeAt(i);
    let end = i + 1;
    switch (state) {
      case State.Value:
      case State.ValueOrEnd:
        if (code === 0x7b) {
          stack.push(OBJECT);
          state = State.KeyOrEnd;
        } else if (code === 0x5b) {
          stack.push(ARRAY);
          state = State.ValueOrEnd;
        } else if (code === 0x5d && state === State.ValueOrEnd) {
          stack.pop();
          state = State.After;
        } else {
          if (code === 0x22) end = scanString(text, i);
          else if (code === 0x2d || isDigit(code)) end = scanNumber(text, i);
          else {
            const literal = LITERALS.find((word) => text.startsWith(word, i));
            if (!literal) return i;
            end = i + literal.length;
          }
          state = State.After;
        }
        break;
      case State.Key:
      case State.KeyOrEnd:
        if (code === 0x22) {
          end = scanString(text, i);
          state = State.Colon;
        } else if (code === 0x7d && state === State.KeyOrEnd) {
          stack.pop();
          state = State.After;
        } else return i;
        break;
      case State.Colon:
        if (code !== 0x3a) return i;
        state = State.Value;
        break;
      case State.After: {
        const top = stack.top();
        if (code === 0x2c && top !== undefined) state = top === OBJECT ? State.Key : State.Value;
        else if ((code === 0x7d && top === OBJECT) || (code === 0x5d && top === ARRAY)) stack.pop();
        else return i;
        break;
      }
    }
    if (end < 0) return -end - 1;
    i = end;
  }
}

/** Where JSON.parse stopped reading a text, and why. */
export interface JsonSyntaxError {
  /** V8's reason, without the quote of the text it may add and without the position it may name. */
  readonly reason: string;
  /** 1-based line and column (in characters) of the first character that is not JSON; absent when unknown. */
  readonly line?: number;
  readonly column?: number;
}

/**
 * Where and why JSON.parse refused `text`, from its error `message`: at the position V8 names, else where our
 * own scan ({@link jsonErrorOffset}) stops; a text that ends too early stops at its end.
 */
export function jsonSyntaxError(text: string, message: string): JsonSyntaxError {
  const reason = (message.split(/, (?:"|\.\.\.)|\n/, 1)[0] ?? message).replace(
    / (?:in JSON )?at position \d+(?: \(line \d+ column \d+\))?$/,
    '',
  );
  const named = /at position (\d+)/.exec(message);
  const offset = Math.min(named ? Number(named[1]) : jsonErrorOffset(text), text.length);
  if (offset < 0) return { reason };
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  // Characters, not UTF-16 units: an emoji is one column, as editors count it.
  return { reason, line, column: [...text.slice(lineStart, offset)].length + 1 };
}

/**
 * A message's cause for `text` that JSON.parse refused with `message`: "it is not JSON (line 1, column 3:
 * Expected property name or '}')", the place left out when unknown.
 */
export function notJsonCause(text: string, message: string): string {
  const { reason, line, column } = jsonSyntaxError(text, message);
  const place = line !== undefined && column !== undefined ? `line ${line}, column ${column}: ` : '';
  return `it is not JSON (${place}${reason})`;
}

/**
 * Whether JSON.parse's error on `text` is the text running out (V8: "Unexpected end of JSON input", or a
 * position at its last character): a file cut off while it was written, not one written wrong.
 */
export function runsOutOfText(error: string, text: string): boolean {
  if (error.includes('end of JSON input')) return true;
  const at = /at position (\d+)/.exec(error);
  return at !== null && Number(at[1]) >= text.trimEnd().length - 1;
}

/** What a dump reader says of `what` (a document, a line) that runs out before its JSON does, and what to do. */
export function cutOff(what: string, by = 'it was still being written'): { cause: string; hint: string } {
  return {
    cause: `${what} ends before its JSON does: the file was cut off (copied while ${by}?)`,
    hint: 'Copy the dump again once it is written whole.',
  };
}
