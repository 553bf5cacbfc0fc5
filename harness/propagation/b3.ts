/**
 * Zipkin B3 propagation, single `b3` header and multi `X-B3-*` headers:
 * https://github.com/openzipkin/b3-propagation (README "Single Header" and "Multiple Headers").
 */
import type { HeaderEntry, SpanId, TraceId } from '../model';
import {
  checkHexField,
  headerLines,
  hexFieldDetail,
  quote,
  trimOws,
  type HexFieldProblem,
} from './internal/header-text';
import { fail, ok, type CodecResult } from './result';
import type { Failure as CodecFailure } from '../internal/result';

/** B3 sampling state: "1" accept, "0" deny, "d" / X-B3-Flags: 1 debug, absent = defer to the receiver. */
export type B3Sampling = 'accept' | 'deny' | 'debug' | 'defer';

/** A B3 context with ids. 64-bit trace ids are left-padded to 128 bits; `traceIdLength` says what was sent. */
export interface B3Ids {
  readonly kind: 'ids';
  readonly traceId: TraceId;
  readonly traceIdLength: 16 | 32;
  readonly spanId: SpanId;
  readonly parentSpanId?: SpanId;
  readonly sampling: B3Sampling;
}

/** Only a sampling decision (`b3: 0`, or `X-B3-Sampled` alone). */
export interface B3SamplingOnly {
  readonly kind: 'sampling-only';
  readonly sampling: 'accept' | 'deny' | 'debug';
}

/** A decoded B3 context: ids (with their sampling decision), or a sampling decision alone. */
export type B3Context = B3Ids | B3SamplingOnly;

/** Why a B3 header (single `b3` or the `X-B3-*` set) is refused. */
export type B3Reason =
  | 'missing'
  | 'duplicate-header'
  | 'whitespace'
  | 'too-many-fields'
  | 'uppercase-hex'
  | 'invalid-trace-id'
  | 'all-zero-trace-id'
  | 'invalid-span-id'
  | 'all-zero-span-id'
  | 'invalid-parent-id'
  | 'all-zero-parent-id'
  | 'invalid-sampling'
  | 'missing-trace-id'
  | 'missing-span-id';

/** What the B3 decoders return: a context, or the reason and message it was refused. */
export type B3Result = CodecResult<B3Context, B3Reason>;

/** The multi-header names, lowercase as HTTP/2 and our capture log carry them. */
export const B3_MULTI_HEADER_NAMES = {
  traceId: 'x-b3-traceid',
  spanId: 'x-b3-spanid',
  parentSpanId: 'x-b3-parentspanid',
  sampled: 'x-b3-sampled',
  flags: 'x-b3-flags',
} as const;

const ZERO_HIGH_BITS = '0'.repeat(16);

type Failure = CodecFailure<B3Reason>;

function idFailure(
  field: string,
  text: string,
  length: number,
  problem: HexFieldProblem,
  invalid: B3Reason,
  allZero: B3Reason,
): Failure {
  if (problem === 'uppercase-hex') return fail('uppercase-hex', `${field} contains uppercase hex: lowercase it`);
  return fail(problem === 'all-zero' ? allZero : invalid, hexFieldDetail(field, text, length, problem));
}

/** "TraceId is 32 or 16 lower-hex characters" (README "TraceId"). */
function parseB3TraceId(text: string, field: string): { traceId: TraceId; traceIdLength: 16 | 32 } | Failure {
  const length = text.length === 16 ? 16 : 32;
  const problem = checkHexField(text, length);
  if (problem) {
    const detail =
      problem === 'wrong-length'
        ? `${field} ${quote(text)} has ${text.length} hex digits, expected 16 or 32`
        : undefined;
    return detail
      ? fail('invalid-trace-id', detail)
      : idFailure(field, text, length, problem, 'invalid-trace-id', 'all-zero-trace-id');
  }
  return { traceId: (length === 16 ? ZERO_HIGH_BITS + text : text) as TraceId, traceIdLength: length };
}

function parseB3SpanId(text: string, field: string, invalid: B3Reason, allZero: B3Reason): SpanId | Failure {
  const problem = checkHexField(text, 16);
  return problem ? idFailure(field, text, 16, problem, invalid, allZero) : (text as SpanId);
}

function isFailure(value: unknown): value is Failure {
  return typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false;
}

/** The ids both encodings carry (trace id, span id, optional parent span id), each named as the sender wrote it. */
function decodeIds(
  [traceText, spanText, parentText]: readonly [string, string, string | undefined],
  [traceField, spanField, parentField]: readonly [string, string, string],
  sampling: B3Sampling,
): B3Result {
  const trace = parseB3TraceId(traceText, traceField);
  if (isFailure(trace)) return trace;
  const spanId = parseB3SpanId(spanText, spanField, 'invalid-span-id', 'all-zero-span-id');
  if (isFailure(spanId)) return spanId;
  const parentSpanId =
    parentText === undefined
      ? undefined
      : parseB3SpanId(parentText, parentField, 'invalid-parent-id', 'all-zero-parent-id');
  if (isFailure(parentSpanId)) return parentSpanId;
  return ok({ kind: 'ids', ...trace, spanId, ...(parentSpanId ? { parentSpanId } : {}), sampling });
}

/**
 * Decodes the single `b3` header: `{TraceId}-{SpanId}[-{SamplingState}[-{ParentSpanId}]]` or a bare
 * sampling state. Never throws.
 * @example decodeB3Single('80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90')
 */
export function decodeB3Single(input: string | readonly string[] | undefined): B3Result {
  const lines = headerLines(input);
  if (lines.length === 0) return fail('missing', 'no b3 header was sent');
  if (lines.length > 1) return fail('duplicate-header', `b3 was sent ${lines.length} times: send exactly one`);
  const text = trimOws(lines[0] ?? '');
  if (text === '') return fail('missing', 'the b3 header is empty: send a value or omit the header');
  if (text.includes(',')) return fail('duplicate-header', 'b3 holds several comma-separated values: send exactly one');
  if (/\s/.test(text)) return fail('whitespace', `b3 ${quote(text)} contains whitespace inside the value: remove it`);

  const fields = text.split('-');
  if (fields.length > 4) {
    return fail(
      'too-many-fields',
      `b3 ${quote(text)} has ${fields.length} fields, at most 4 (trace-span-sampling-parent)`,
    );
  }
  if (fields.length === 1) {
    const sampling = parseSingleSampling(text);
    if (sampling !== undefined && sampling !== 'defer') return ok({ kind: 'sampling-only', sampling });
    return /^[0-9a-fA-F]{16}([0-9a-fA-F]{16})?$/.test(text)
      ? fail('missing-span-id', 'b3 carries a trace id without a span id: send {TraceId}-{SpanId}')
      : fail('invalid-sampling', `b3 ${quote(text)} is neither {TraceId}-{SpanId} nor a sampling state (0, 1 or d)`);
  }
  // fields.length is 2 to 4 here: the trace and span ids are there.
  const [traceText = '', spanText = '', samplingText, parentText] = fields;
  let sampling: B3Sampling = 'defer';
  if (samplingText !== undefined) {
    const parsed = parseSingleSampling(samplingText);
    if (parsed === undefined || parsed === 'defer') {
      return fail('invalid-sampling', `b3 sampling state ${quote(samplingText)} is not 0, 1 or d`);
    }
    sampling = parsed;
  }
  return decodeIds([traceText, spanText, parentText], ['b3 trace id', 'b3 span id', 'b3 parent span id'], sampling);
}

function parseSingleSampling(text: string): B3Sampling | undefined {
  if (text === '1') return 'accept';
  if (text === '0') return 'deny';
  if (text === 'd') return 'debug';
  return undefined;
}

/** Encodes the single `b3` header. A parent id needs a sampling state (README), so with `defer` it is left out. */
export function encodeB3Single(context: B3Context): string {
  if (context.kind === 'sampling-only') return samplingText(context.sampling);
  const traceId =
    context.traceIdLength === 16 && context.traceId.startsWith(ZERO_HIGH_BITS)
      ? context.traceId.slice(16)
      : context.traceId;
  let text = `${traceId}-${context.spanId}`;
  if (context.sampling !== 'defer') {
    text += `-${samplingText(context.sampling)}`;
    if (context.parentSpanId) text += `-${context.parentSpanId}`;
  }
  return text;
}

function samplingText(sampling: 'accept' | 'deny' | 'debug'): string {
  return sampling === 'accept' ? '1' : sampling === 'deny' ? '0' : 'd';
}

/** Decodes the `X-B3-*` headers (names matched case-insensitively, duplicates rejected). Never throws. */
export function decodeB3Multi(headers: readonly HeaderEntry[]): B3Result {
  const found = new Map<string, string[]>();
  const names: readonly string[] = Object.values(B3_MULTI_HEADER_NAMES);
  for (const entry of Array.isArray(headers) ? headers : []) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'string') continue;
    const name = entry[0].toLowerCase();
    if (!names.includes(name)) continue;
    const values = found.get(name) ?? [];
    values.push(entry[1]);
    found.set(name, values);
  }
  if (found.size === 0) return fail('missing', 'no X-B3-* headers were sent');
  const single = new Map<string, string>();
  for (const [name, values] of found) {
    if (values.length > 1) return fail('duplicate-header', `${name} was sent ${values.length} times: send exactly one`);
    const value = trimOws(values[0] ?? '');
    if (value.includes(','))
      return fail('duplicate-header', `${name} holds several comma-separated values: send exactly one`);
    single.set(name, value);
  }

  const sampling = parseMultiSampling(
    single.get(B3_MULTI_HEADER_NAMES.sampled),
    single.get(B3_MULTI_HEADER_NAMES.flags),
  );
  if (isFailure(sampling)) return sampling;
  const traceText = single.get(B3_MULTI_HEADER_NAMES.traceId);
  const spanText = single.get(B3_MULTI_HEADER_NAMES.spanId);
  const parentText = single.get(B3_MULTI_HEADER_NAMES.parentSpanId);
  if (traceText === undefined && spanText === undefined && parentText === undefined) {
    if (sampling === 'defer') return fail('missing', 'no X-B3-TraceId or X-B3-Sampled header was sent');
    return ok({ kind: 'sampling-only', sampling });
  }
  if (traceText === undefined) return fail('missing-trace-id', 'X-B3-SpanId was sent without X-B3-TraceId: send both');
  if (spanText === undefined) return fail('missing-span-id', 'X-B3-TraceId was sent without X-B3-SpanId: send both');
  return decodeIds([traceText, spanText, parentText], ['X-B3-TraceId', 'X-B3-SpanId', 'X-B3-ParentSpanId'], sampling);
}

/** README "Sampling State": "1"/"0" (legacy "true"/"false" accepted); X-B3-Flags: 1 means debug. */
function parseMultiSampling(sampled: string | undefined, flags: string | undefined): B3Sampling | Failure {
  if (flags !== undefined) {
    if (flags === '1') return 'debug';
    if (flags !== '0') return fail('invalid-sampling', `X-B3-Flags ${quote(flags)} is not 1 (debug)`);
  }
  if (sampled === undefined) return 'defer';
  if (sampled === '1' || sampled === 'true') return 'accept';
  if (sampled === '0' || sampled === 'false') return 'deny';
  return fail('invalid-sampling', `X-B3-Sampled ${quote(sampled)} is not 1 or 0`);
}

/** Encodes the `X-B3-*` headers (lowercase names). Debug is sent as X-B3-Flags: 1 without X-B3-Sampled. */
export function encodeB3Multi(context: B3Context): HeaderEntry[] {
  const headers: HeaderEntry[] = [];
  if (context.kind === 'ids') {
    const traceId =
      context.traceIdLength === 16 && context.traceId.startsWith(ZERO_HIGH_BITS)
        ? context.traceId.slice(16)
        : context.traceId;
    headers.push([B3_MULTI_HEADER_NAMES.traceId, traceId], [B3_MULTI_HEADER_NAMES.spanId, context.spanId]);
    if (context.parentSpanId) headers.push([B3_MULTI_HEADER_NAMES.parentSpanId, context.parentSpanId]);
  }
  if (context.sampling === 'debug') headers.push([B3_MULTI_HEADER_NAMES.flags, '1']);
  else if (context.sampling !== 'defer')
    headers.push([B3_MULTI_HEADER_NAMES.sampled, context.sampling === 'accept' ? '1' : '0']);
  return headers;
}
