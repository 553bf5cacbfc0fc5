/**
 * A reader of the text Node.js's util.inspect writes (what console.dir and console.log print for an object):
 * JavaScript-like, with unquoted keys, strings in ', " or ` quotes, NaN, undefined, class names before
 * objects (`TraceState { ... }`, `Map(1) { 'k' => 'v' }`) and the marks of what it left out: `[Object]` and
 * `[Array]` beyond its depth, `... 20 more items` after 100 items, `... 9000 more characters` after 10000
 * characters. The text is untrusted: the reader never throws, reads each character once (strings joined
 * once, no backtracking) and refuses nesting deeper than MAX_DEPTH instead of recursing without bound.
 */

/** Nesting the reader follows; console.dir's prints nest 5 deep (a Map in a TraceState in a context). */
export const MAX_DEPTH = 32;

/** Digits of a BigInt the reader parses (V8 takes quadratic time in them); a span's values need far fewer. */
const MAX_BIGINT_DIGITS = 1000;

/** A value the print left out or cut short; `what` says what it was, for a marker or a message. */
export class CutValue {
  constructor(readonly what: string) {}
}

/** An object as printed: its entries, and the class name printed before it (`TraceState`), if any. */
export class InspectObject {
  readonly entries = new Map<string, InspectValue>();
  constructor(readonly className: string | undefined) {}

  get(key: string): InspectValue | undefined {
    return this.entries.get(key);
  }
}

export type InspectValue =
  string | number | bigint | boolean | null | undefined | InspectValue[] | InspectObject | CutValue;

export type InspectResult = { ok: true; value: InspectValue } | { ok: false; offset: number; problem: string };

class InspectFault extends Error {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {
    super(problem);
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
  "'": "'",
  '"': '"',
  '`': '`',
  '\\': '\\',
};
const NUMBER = /-?(?:Infinity|NaN|(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?n?)/y;
const WORD = /[A-Za-z_$][\w$]*/y;
const MORE_ITEMS = /\.\.\. (\d+) more items?/y;
const MORE_CHARACTERS = /\.\.\. (\d+) more characters?/y;
const EMPTY_ITEMS = /<(\d+) empty items?>/y;
const REF = /<ref \*\d+> /y;
const HEX: Readonly<Record<string, RegExp>> = { x: /^[0-9a-fA-F]{2}$/, u: /^[0-9a-fA-F]{4}$/ };
const SIZE = /\(\d+\)/y;
/** A bracketed tag ends within this many characters: `[Object: null prototype]`, `[Function: name]`. */
const MAX_TAG = 200;
const LITERALS: Readonly<Record<string, InspectValue>> = {
  true: true,
  false: false,
  null: null,
  undefined: undefined,
  NaN: NaN,
  Infinity: Infinity,
};

/** Reads one value printed by util.inspect, the whole of `text` (blank space around it aside). */
export function readInspectText(text: string): InspectResult {
  const reader = new Reader(text);
  try {
    const value = reader.value(0);
    reader.space();
    if (reader.at < text.length) reader.fail('has more text after the value ends');
    return { ok: true, value };
  } catch (error) {
    if (error instanceof InspectFault) return { ok: false, offset: error.offset, problem: error.problem };
    // A RangeError of an engine limit (a string too long to build): said as a fault, never thrown on.
    return { ok: false, offset: reader.at, problem: `cannot be read (${String(error)})` };
  }
}

class Reader {
  at = 0;
  constructor(private readonly text: string) {}

  fail(problem: string, offset = this.at): never {
    throw new InspectFault(offset, problem);
  }

  space(): void {
    const text = this.text;
    while (this.at < text.length) {
      const c = text.charCodeAt(this.at);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      this.at++;
    }
  }

  private match(pattern: RegExp): RegExpExecArray | null {
    pattern.lastIndex = this.at;
    const found = pattern.exec(this.text);
    if (found !== null) this.at = pattern.lastIndex;
    return found;
  }

  private peek(): string {
    return this.text.charAt(this.at);
  }

  value(depth: number): InspectValue {
    if (depth > MAX_DEPTH) this.fail(`nests deeper than ${MAX_DEPTH} levels, more than console.dir prints`);
    this.space();
    this.match(REF);
    const c = this.peek();
    if (c === '{') return this.object(undefined, depth);
    if (c === '[') {
      const next = this.text.charAt(this.at + 1);
      if (next === ' ' || next === ']' || next === '\n' || next === '\r') return this.array(depth);
      return this.tagged(depth);
    }
    if (c === "'" || c === '"' || c === '`') return this.string();
    if (c === '-' || (c >= '0' && c <= '9') || c === '.') return this.number();
    const word = this.match(WORD);
    if (word !== null) return this.named(word[0], depth);
    if (c === '') this.fail('ends before its value does');
    return this.fail(`has ${JSON.stringify(c)} where a value should be`);
  }

  /** `true`, `undefined`, ... or a class name before an object or array: `TraceState {`, `Map(1) {`. */
  private named(word: string, depth: number): InspectValue {
    const start = this.at - word.length;
    if (Object.hasOwn(LITERALS, word)) return LITERALS[word];
    this.match(SIZE);
    // `Foo [Bar] {` (a toStringTag) and `[class X]` are rare; a name is followed by { or [ here.
    if (this.peek() === ' ') this.at++;
    const c = this.peek();
    if (c === '{') return this.object(word, depth);
    if (c === '[') return this.array(depth);
    return this.fail(`has ${JSON.stringify(word)} where a value should be`, start);
  }

  /** `[Object]`, `[Array]`, `[Circular *1]`, `[Function: f]`, or `[Object: null prototype] {`. */
  private tagged(depth: number): InspectValue {
    const start = this.at;
    const end = this.text.indexOf(']', start);
    if (end === -1 || end - start > MAX_TAG || this.text.slice(start, end).includes('\n'))
      this.fail('has a "[" that opens neither a list nor a tag such as [Object]');
    const tag = this.text.slice(start, end + 1);
    this.at = end + 1;
    if (this.text.startsWith(' {', this.at)) {
      this.at++;
      return this.object(tag, depth);
    }
    return new CutValue(tag);
  }

  private object(className: string | undefined, depth: number): InspectObject {
    const object = new InspectObject(className);
    this.at++; // {
    for (let first = true; ; first = false) {
      this.space();
      if (this.peek() === '}') {
        this.at++;
        return object;
      }
      if (!first) {
        if (this.peek() !== ',') this.fail('has no "," or "}" after an entry');
        this.at++;
        this.space();
        // util.inspect writes no trailing comma, but a hand-edited print may.
        if (this.peek() === '}') continue;
      }
      const keyAt = this.at;
      const key = this.key(depth);
      this.space();
      let value: InspectValue;
      if (this.text.startsWith('=>', this.at)) {
        this.at += 2;
        value = this.value(depth + 1);
      } else if (this.peek() === ':') {
        this.at++;
        value = this.value(depth + 1);
      } else if (className !== undefined && /^Set\b/.test(className)) {
        value = key;
      } else return this.fail('has no ":" after a key', this.at);
      if (typeof key === 'object' && key !== null) this.fail('has a key that is neither a string nor a number', keyAt);
      const name = typeof key === 'string' ? key : String(key);
      if (object.entries.has(name)) this.fail(`has the key ${JSON.stringify(name)} twice`, keyAt);
      object.entries.set(name, value);
    }
  }

  /** A key: a name, a quoted string, `[Symbol(x)]`, or any value before `=>` in a Map. */
  private key(depth: number): InspectValue {
    const word = this.match(WORD);
    if (word !== null) return word[0];
    const c = this.peek();
    if (c === "'" || c === '"' || c === '`') return this.string();
    return this.value(depth + 1);
  }

  private array(depth: number): InspectValue[] | CutValue {
    const items: InspectValue[] = [];
    let more = 0;
    this.at++; // [
    for (let first = true; ; first = false) {
      this.space();
      if (this.peek() === ']') {
        this.at++;
        return more === 0 ? items : new CutValue(`a list of ${items.length + more} items`);
      }
      if (!first) {
        if (this.peek() !== ',') this.fail('has no "," or "]" after an item');
        this.at++;
        this.space();
        if (this.peek() === ']') continue;
      }
      const count = this.match(MORE_ITEMS) ?? this.match(EMPTY_ITEMS);
      if (count !== null) {
        // Not expanded: a hostile "<1000000000 empty items>" costs nothing.
        more += Number(count[1]);
        continue;
      }
      items.push(this.value(depth + 1));
    }
  }

  /** A quoted string, the pieces of one joined by "+" across lines, and "... N more characters" after. */
  private string(): string | CutValue {
    const pieces: string[] = [this.quoted()];
    for (;;) {
      const save = this.at;
      this.space();
      if (this.peek() !== '+') {
        this.at = save;
        break;
      }
      this.at++;
      this.space();
      const c = this.peek();
      if (c !== "'" && c !== '"' && c !== '`') this.fail('has no string after "+"');
      pieces.push(this.quoted());
    }
    const text = pieces.join('');
    const save = this.at;
    this.space();
    const more = this.match(MORE_CHARACTERS);
    if (more === null) {
      this.at = save;
      return text;
    }
    return new CutValue(`a string of ${text.length + Number(more[1])} characters`);
  }

  private quoted(): string {
    const text = this.text;
    const quote = text.charAt(this.at);
    const start = this.at;
    this.at++;
    let out = '';
    let from = this.at;
    for (;;) {
      const c = text.charAt(this.at);
      if (c === '') return this.fail(`has a string that is never closed (opened with ${quote})`, start);
      if (c === quote) break;
      if (c === '\n') return this.fail(`has a string that is not closed on its line (opened with ${quote})`, start);
      if (c !== '\\') {
        this.at++;
        continue;
      }
      out += text.slice(from, this.at);
      const e = text.charAt(this.at + 1);
      if (Object.hasOwn(ESCAPES, e)) {
        out += ESCAPES[e];
        this.at += 2;
      } else if (e === 'x' || e === 'u') {
        const digits = e === 'x' ? 2 : 4;
        const hex = text.slice(this.at + 2, this.at + 2 + digits);
        if (!(HEX[e]?.test(hex) ?? false)) this.fail(`has a bad escape "\\${e}${hex}" in a string`, this.at);
        out += String.fromCharCode(parseInt(hex, 16));
        this.at += 2 + digits;
      } else this.fail(`has a bad escape "\\${e}" in a string`, this.at);
      from = this.at;
    }
    out += text.slice(from, this.at);
    this.at++;
    return out;
  }

  private number(): number | bigint {
    const start = this.at;
    const found = this.match(NUMBER);
    if (found === null) return this.fail('has a "-" or digit that starts no number');
    const literal = found[0];
    if (literal.endsWith('n')) {
      const digits = literal.slice(0, -1);
      if (!/^-?\d+$/.test(digits)) return this.fail(`has ${JSON.stringify(literal)}, no BigInt`, start);
      // V8 parses a BigInt's digits in quadratic time; no value of a span needs more than these.
      if (digits.length > MAX_BIGINT_DIGITS)
        this.fail(
          `has a BigInt of ${digits.length} digits, more than the ${MAX_BIGINT_DIGITS} a span's value needs`,
          start,
        );
      return BigInt(digits);
    }
    const value = Number(literal);
    if (Number.isNaN(value) && !literal.endsWith('NaN')) this.fail(`has ${JSON.stringify(literal)}, no number`, start);
    return value;
  }
}
