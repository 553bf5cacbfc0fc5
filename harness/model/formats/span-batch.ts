import type { SpanId, TraceId } from '../ids';
import { SPAN_KINDS_BY_NUMBER, SPAN_KIND_NUMBERS } from '../internal/span-kind';
import type { AttributeValue, Attributes, Span, SpanKind, SpanLink, SpanSource } from '../span';

/**
 * Spans packed for the trip from a dump worker to the main thread. Structured clone of 100,000 span objects
 * costs about as much as parsing them; this layout costs a few typed arrays (moved, not copied), one string
 * of ids that the main thread slices (V8 shares the characters), and a small table of distinct strings.
 * Anything unusual (nested attribute values, links, ids of other lengths, exceptions) rides along as structured clone,
 * so every span comes back exactly as it went in.
 */
export interface SpanBatch {
  readonly count: number;
  /** Per span: trace id (32), span id (16), then the parent span id (16) when there is one. */
  readonly ids: string;
  /** Distinct names, services, trace states, status messages and attribute keys and string values. */
  readonly strings: readonly string[];
  /** SLOTS integers per span (see the slot names below). */
  readonly ints: Int32Array;
  /** NUMS numbers per span: start and end time, status code. */
  readonly nums: Float64Array;
  /**
   * Attributes, span after span: the count, then per attribute key, tag and payload; then, for a span with a
   * status message (HAS_STATUS_MESSAGE: rare, so other spans take no room for it), the message's string.
   */
  readonly attrs: Int32Array;
  /** Numbers of attribute values (any double, NaN and -0 included). */
  readonly values: Float64Array;
  /** Values that are neither strings, numbers, booleans nor null; links; whole spans of unusual shape. */
  readonly complex: readonly unknown[];
}

const SLOTS = 8;
const BITS = 0;
const NAME = 1;
const SERVICE = 2;
const KIND = 3;
const TRACE_FLAGS = 4;
const TRACE_STATE = 5;
const LINE = 6;
/** Index into `complex`: the links, or the whole span when WHOLE is set. */
const COMPLEX = 7;
const NUMS = 3;

const HAS_PARENT = 1;
const HAS_FLAGS = 2;
const HAS_TRACE_STATE = 4;
const HAS_STATUS = 8;
const HAS_LINKS = 16;
const WHOLE = 32;
const HAS_STATUS_MESSAGE = 64;

const TAG_STRING = 0;
const TAG_NUMBER = 1;
const TAG_TRUE = 2;
const TAG_FALSE = 3;
const TAG_NULL = 4;
const TAG_COMPLEX = 5;

/** A growable typed array: filled from the front, doubled when full, cut to length when taken. */
class Growing<A extends Int32Array | Float64Array> {
  length = 0;
  constructor(
    public array: A,
    private readonly make: (size: number) => A,
  ) {}

  push(value: number): void {
    if (this.length === this.array.length) {
      const bigger = this.make(this.array.length * 2);
      bigger.set(this.array);
      this.array = bigger;
    }
    this.array[this.length++] = value;
  }

  /** The values so far, in an array of their own; starts over. */
  take(): A {
    const taken = this.array.slice(0, this.length) as A;
    this.length = 0;
    return taken;
  }
}

const ints = (size: number): Int32Array => new Int32Array(size);
const floats = (size: number): Float64Array => new Float64Array(size);

/** Collects spans into batches, in a dump worker. */
export class SpanBatchWriter {
  private ids: string[] = [];
  private strings: string[] = [];
  private index = new Map<string, number>();
  /**
   * The last string looked up and its index: spans of one batch mostly repeat their neighbours' names,
   * services and attribute values, and an identity check is cheaper than a hash lookup.
   */
  private lastText: string | undefined;
  /** -1 until a string was looked up, so no text (whatever its type) matches before then. */
  private lastAt = -1;
  private readonly ints = new Growing(ints(1024), ints);
  private readonly nums = new Growing(floats(512), floats);
  private readonly attrs = new Growing(ints(1024), ints);
  private readonly values = new Growing(floats(256), floats);
  private complex: unknown[] = [];
  /** Spans added since the last take(). */
  count = 0;

  private string(text: string): number {
    if (this.lastAt !== -1 && text === this.lastText) return this.lastAt;
    let at = this.index.get(text);
    if (at === undefined) {
      at = this.strings.length;
      this.strings.push(text);
      this.index.set(text, at);
    }
    this.lastText = text;
    this.lastAt = at;
    return at;
  }

  private addComplex(value: unknown): number {
    this.complex.push(value);
    return this.complex.length - 1;
  }

  private pushSlots(...slots: number[]): void {
    for (const slot of slots) this.ints.push(slot);
  }

  /** Adds a span read from line `line` of the worker's part of the file (its source is not kept). */
  add(span: Span, line: number): void {
    this.count++;
    const parent = span.parentSpanId;
    const flags = span.traceFlags;
    const usual =
      span.traceId.length === 32 &&
      span.spanId.length === 16 &&
      (parent === undefined || parent.length === 16) &&
      (flags === undefined || (flags | 0) === flags) &&
      // An ERROR span's exceptions (rare) ride with the whole span.
      span.exceptions === undefined;
    const ints = this.ints;
    const nums = this.nums;
    if (!usual) {
      const { source: _source, ...rest } = span;
      this.pushSlots(WHOLE, 0, 0, 0, 0, 0, line, this.addComplex(rest));
      nums.push(0);
      nums.push(0);
      nums.push(0);
      return;
    }
    let bits = 0;
    this.ids.push(span.traceId, span.spanId);
    if (parent !== undefined) {
      bits |= HAS_PARENT;
      this.ids.push(parent);
    }
    if (flags !== undefined) bits |= HAS_FLAGS;
    if (span.traceState !== undefined) bits |= HAS_TRACE_STATE;
    if (span.statusCode !== undefined) bits |= HAS_STATUS;
    if (span.links !== undefined) bits |= HAS_LINKS;
    if (span.statusMessage !== undefined) bits |= HAS_STATUS_MESSAGE;
    ints.push(bits);
    ints.push(this.string(span.name));
    ints.push(this.string(span.service));
    ints.push(SPAN_KIND_NUMBERS[span.kind]);
    ints.push(flags ?? 0);
    ints.push(span.traceState !== undefined ? this.string(span.traceState) : 0);
    ints.push(line);
    ints.push(span.links !== undefined ? this.addComplex(span.links) : 0);
    nums.push(span.startTimeMs);
    nums.push(span.endTimeMs);
    nums.push(span.statusCode ?? 0);
    this.addAttributes(span.attributes);
    if (span.statusMessage !== undefined) this.attrs.push(this.string(span.statusMessage));
  }

  private addAttributes(attributes: Attributes): void {
    const attrs = this.attrs;
    const start = attrs.length;
    attrs.push(0);
    let count = 0;
    for (const key in attributes) {
      if (!Object.prototype.hasOwnProperty.call(attributes, key)) continue;
      count++;
      const value = attributes[key];
      attrs.push(this.string(key));
      if (typeof value === 'string') {
        attrs.push(TAG_STRING);
        attrs.push(this.string(value));
      } else if (typeof value === 'number') {
        attrs.push(TAG_NUMBER);
        attrs.push(this.values.length);
        this.values.push(value);
      } else if (value === true || value === false || value === null) {
        attrs.push(value === true ? TAG_TRUE : value === false ? TAG_FALSE : TAG_NULL);
        attrs.push(0);
      } else {
        // Anything else (nested values, and whatever a caller outside the decoders passes) rides as is.
        attrs.push(TAG_COMPLEX);
        attrs.push(this.addComplex(value));
      }
    }
    attrs.array[start] = count;
  }

  /** The batch so far, and the buffers to transfer with it; the writer starts a new batch. */
  take(): { batch: SpanBatch; transfer: ArrayBuffer[] } {
    const batch: SpanBatch = {
      count: this.count,
      ids: this.ids.join(''),
      strings: this.strings,
      ints: this.ints.take(),
      nums: this.nums.take(),
      attrs: this.attrs.take(),
      values: this.values.take(),
      complex: this.complex,
    };
    this.ids = [];
    this.strings = [];
    this.index = new Map();
    this.lastText = undefined;
    this.lastAt = -1;
    this.complex = [];
    this.count = 0;
    const buffers = [batch.ints.buffer, batch.nums.buffer, batch.attrs.buffer, batch.values.buffer];
    return { batch, transfer: buffers.filter((buffer): buffer is ArrayBuffer => buffer instanceof ArrayBuffer) };
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Unpacks a batch on the main thread, appending its spans to `out`. `sourceOf` gives the source of a span
 * read from a line of the worker's part (one object per line, shared by its spans, as the reader makes).
 */
export function readSpanBatch(batch: SpanBatch, sourceOf: (line: number) => SpanSource, out: Span[]): void {
  const { ids, strings, ints, nums, attrs, values, complex } = batch;
  let idAt = 0;
  let attrAt = 0;
  for (let i = 0; i < batch.count; i++) {
    const slot = i * SLOTS;
    const bits = ints[slot + BITS] ?? 0;
    const source = sourceOf(ints[slot + LINE] ?? 0);
    if ((bits & WHOLE) !== 0) {
      out.push({ ...(complex[ints[slot + COMPLEX] ?? 0] as Span), source });
      continue;
    }
    const traceId = ids.slice(idAt, idAt + 32) as TraceId;
    const spanId = ids.slice(idAt + 32, idAt + 48) as SpanId;
    idAt += 48;
    const attributes: Record<string, AttributeValue> = {};
    const attributeCount = attrs[attrAt++] ?? 0;
    for (let a = 0; a < attributeCount; a++) {
      const key = strings[attrs[attrAt] ?? 0] as string;
      const tag = attrs[attrAt + 1];
      const payload = attrs[attrAt + 2] ?? 0;
      attrAt += 3;
      const value =
        tag === TAG_STRING
          ? (strings[payload] as string)
          : tag === TAG_NUMBER
            ? (values[payload] as number)
            : tag === TAG_TRUE
              ? true
              : tag === TAG_FALSE
                ? false
                : tag === TAG_NULL
                  ? null
                  : (complex[payload] as AttributeValue);
      // An own "__proto__" key (JSON can hold one) must stay a key, not become the prototype.
      if (key === '__proto__')
        Object.defineProperty(attributes, key, { value, enumerable: true, writable: true, configurable: true });
      else attributes[key] = value;
    }
    const num = i * NUMS;
    // The decoders' property order, so unpacked spans share their hidden class.
    const span: Mutable<Span> = {
      traceId,
      spanId,
      name: strings[ints[slot + NAME] ?? 0] as string,
      kind: SPAN_KINDS_BY_NUMBER[ints[slot + KIND] ?? 0] as SpanKind,
      service: strings[ints[slot + SERVICE] ?? 0] as string,
      startTimeMs: nums[num] ?? 0,
      endTimeMs: nums[num + 1] ?? 0,
      attributes,
      source,
    };
    if ((bits & HAS_PARENT) !== 0) {
      span.parentSpanId = ids.slice(idAt, idAt + 16) as SpanId;
      idAt += 16;
    }
    if ((bits & HAS_FLAGS) !== 0) span.traceFlags = ints[slot + TRACE_FLAGS] ?? 0;
    if ((bits & HAS_TRACE_STATE) !== 0) span.traceState = strings[ints[slot + TRACE_STATE] ?? 0];
    if ((bits & HAS_STATUS) !== 0) span.statusCode = nums[num + 2] ?? 0;
    if ((bits & HAS_STATUS_MESSAGE) !== 0) span.statusMessage = strings[attrs[attrAt++] ?? 0];
    if ((bits & HAS_LINKS) !== 0) span.links = complex[ints[slot + COMPLEX] ?? 0] as SpanLink[];
    out.push(span);
  }
}
