/**
 * What an `exception` span event says (OpenTelemetry's semantic conventions: `exception.type`,
 * `exception.message`; the stack trace is not kept), as each reader finds it. Kept on ERROR spans only, as the
 * status message is (see Span.exceptions), so spans that did not fail do not grow.
 */
import type { SpanException } from '../span';

/** The name OpenTelemetry SDKs give the event `recordException` adds. */
export const EXCEPTION_EVENT = 'exception';

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** An exception event's type and message; undefined when it names neither (nothing a verdict can read). */
export function exceptionOf(type: unknown, message: unknown): SpanException | undefined {
  const kept: { type?: string; message?: string } = {};
  const t = text(type);
  const m = text(message);
  if (t !== undefined) kept.type = t;
  if (m !== undefined) kept.message = m;
  return t === undefined && m === undefined ? undefined : kept;
}

/** An exception event's attributes held as an object (`{"exception.type": ...}`). */
export function exceptionOfObject(attributes: unknown): SpanException | undefined {
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) return undefined;
  const record = attributes as Record<string, unknown>;
  return exceptionOf(record['exception.type'], record['exception.message']);
}

/**
 * The exception a Zipkin annotation holds, as OpenTelemetry's Zipkin exporters write an event: the Java SDK's
 * `"exception":{"exception.type":"...","exception.message":"..."}` (the exporter specification's form), the
 * Collector's `exception|{"exception.type":...}|0`; undefined for any other annotation, and for the bare name
 * the JS SDK writes (it leaves the attributes out).
 */
export function exceptionOfAnnotation(value: unknown): SpanException | undefined {
  if (typeof value !== 'string') return undefined;
  let json: string | undefined;
  if (value.startsWith('"exception":')) json = value.slice('"exception":'.length);
  else if (value.startsWith('exception|')) {
    const end = value.lastIndexOf('|');
    json = end > 'exception|'.length ? value.slice('exception|'.length, end) : undefined;
  }
  if (json === undefined) return undefined;
  try {
    return exceptionOfObject(JSON.parse(json));
  } catch {
    // Not the attributes as JSON: nothing to read.
    return undefined;
  }
}

/** `found` as a span keeps it: absent when empty, and on any span whose status is not ERROR. */
export function errorExceptions(
  code: number | undefined,
  found: readonly SpanException[] | undefined,
): readonly SpanException[] | undefined {
  return code === 2 && found !== undefined && found.length > 0 ? found : undefined;
}

/** How one format spells an event's parts: OTLP/JSON's `{name, attributes: [{key, value: {stringValue}}]}`, Go's `{Name, Attributes: [{Key, Value: {Value}}]}`. */
export interface EventSpelling {
  readonly name: string;
  readonly attributes: string;
  readonly key: string;
  readonly value: string;
  /** The field of an attribute's value object that holds the string. */
  readonly text: string;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The `exception` events of a span's events, spelt as `spelling` says; events of another shape are passed over,
 * as events are read for nothing else. Undefined when there is none.
 */
export function exceptionEvents(events: unknown, spelling: EventSpelling): SpanException[] | undefined {
  if (!Array.isArray(events)) return undefined;
  let found: SpanException[] | undefined;
  for (const event of events) {
    if (!isObject(event) || event[spelling.name] !== EXCEPTION_EVENT) continue;
    const attributes = event[spelling.attributes];
    if (!Array.isArray(attributes)) continue;
    const values: Record<string, unknown> = {};
    for (const attribute of attributes as unknown[]) {
      if (!isObject(attribute)) continue;
      const key = attribute[spelling.key];
      const value = attribute[spelling.value];
      if (typeof key === 'string' && isObject(value)) values[key] = value[spelling.text];
    }
    const exception = exceptionOfObject(values);
    if (exception !== undefined) (found ??= []).push(exception);
  }
  return found;
}
