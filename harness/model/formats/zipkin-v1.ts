/**
 * Zipkin v1 JSON (`POST /api/v1/spans`, what py_zipkin writes with `Encoding.V1_JSON`), turned into the v2
 * records Zipkin's own V1SpanConverter makes of it, for the v2 reader:
 * - the core annotations name each side of a span and its service (their endpoint): `cs`/`cr` a CLIENT span,
 *   `sr`/`ss` a SERVER span, `ms` a PRODUCER span, `mr` a CONSUMER span. A record with both `cs` and `sr` is a
 *   span the client and server shared (one id): two records, the server's `shared`. A server side in a record
 *   without a `timestamp` joined its caller's span (the caller owns the timestamp): `shared` too;
 * - a side's time runs from its first annotation to its last (`cs` to `cr`, `sr` to `ss`); the record's own
 *   `timestamp` and `duration` are the span's when it has one side only;
 * - a record without core annotations is a local span, of the service of its `lc` binary annotation (or of
 *   any endpoint it names);
 * - binary annotations with string values are the tags of the side whose service they name (or of every
 *   side when they name none); the address ones (`ca`, `sa`, `ma`, booleans) are not tags: each names its
 *   side's remoteEndpoint (`sa` a client's, `ca` a server's, `ma` a messaging side's), whose service the v2
 *   reader keeps as peer.service. Other annotations (events) are not kept.
 */
import { JsonFault, isRecord } from './json-fault';

/**
 * Whether a span is Zipkin v1: services only in `binaryAnnotations` and in the endpoints of its annotations
 * (cs, sr, ss, cr), where v2 has `localEndpoint` and annotations without endpoints.
 */
export function isZipkinV1(raw: Record<string, unknown>): boolean {
  if (raw.binaryAnnotations !== undefined) return true;
  const annotations = raw.annotations;
  return (
    raw.localEndpoint === undefined &&
    Array.isArray(annotations) &&
    annotations.some((annotation) => isRecord(annotation) && annotation.endpoint !== undefined)
  );
}

/** One side of a v1 span: its kind, endpoint, first and last core annotation times. */
interface Side {
  kind: 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER' | undefined;
  endpoint: Record<string, unknown> | undefined;
  start: number | undefined;
  end: number | undefined;
  /** Where the last core annotation (the side's end) is, for a fault that names it. */
  endAt?: string;
}

const SIDE_OF: Readonly<Record<string, 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER'>> = {
  cs: 'CLIENT',
  cr: 'CLIENT',
  sr: 'SERVER',
  ss: 'SERVER',
  ms: 'PRODUCER',
  mr: 'CONSUMER',
};
const STARTS = new Set(['cs', 'sr', 'ms', 'mr']);
const ADDRESSES = new Set(['ca', 'sa', 'ma']);
/** The address annotation naming the other end of each side (V1SpanConverter): its remoteEndpoint. */
const REMOTE_OF: Readonly<Record<string, string>> = { CLIENT: 'sa', SERVER: 'ca', PRODUCER: 'ma', CONSUMER: 'ma' };

function listAt(raw: Record<string, unknown>, key: string, path: string): Record<string, unknown>[] {
  const value = raw[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new JsonFault(`${path}.${key}`, 'is not an array');
  return value.map((item: unknown, i) => {
    if (!isRecord(item)) throw new JsonFault(`${path}.${key}[${i}]`, 'is not an object');
    return item;
  });
}

function endpointAt(item: Record<string, unknown>, path: string): Record<string, unknown> | undefined {
  const endpoint = item.endpoint;
  if (endpoint === undefined || endpoint === null) return undefined;
  if (!isRecord(endpoint)) throw new JsonFault(`${path}.endpoint`, 'is not an endpoint object');
  return endpoint;
}

function timeAt(item: Record<string, unknown>, path: string): number {
  const time = item.timestamp;
  if (typeof time !== 'number' || !Number.isSafeInteger(time) || time < 0)
    throw new JsonFault(`${path}.timestamp`, 'is not a time in microseconds');
  return time;
}

/** The v2 records of one v1 span (see the header). Throws JsonFault, naming `path`, on what it cannot read. */
export function zipkinV1ToV2(raw: Record<string, unknown>, path: string): Record<string, unknown>[] {
  const sides = new Map<string, Side>();
  const annotations = listAt(raw, 'annotations', path);
  annotations.forEach((annotation, i) => {
    const value = annotation.value;
    const kind = typeof value === 'string' && Object.hasOwn(SIDE_OF, value) ? SIDE_OF[value] : undefined;
    if (kind === undefined) return;
    const at = `${path}.annotations[${i}]`;
    const time = timeAt(annotation, at);
    const side = sides.get(kind) ?? { kind, endpoint: undefined, start: undefined, end: undefined };
    side.endpoint ??= endpointAt(annotation, at);
    if (STARTS.has(value as string)) side.start = Math.min(side.start ?? time, time);
    else if (side.end === undefined || time >= side.end) {
      side.end = time;
      side.endAt = at;
    }
    sides.set(kind, side);
  });
  const binary = listAt(raw, 'binaryAnnotations', path);
  if (sides.size === 0) {
    // A local span: its service is its lc annotation's, or that of any endpoint it names.
    const places = (items: Record<string, unknown>[], key: string) =>
      items.map((item, i) => ({ item, at: `${path}.${key}[${i}]` }));
    const inBinary = places(binary, 'binaryAnnotations');
    const named = [
      ...inBinary.filter(({ item }) => item.key === 'lc'),
      ...inBinary,
      ...places(annotations, 'annotations'),
    ];
    const endpoint = named.map(({ item, at }) => endpointAt(item, at)).find(Boolean);
    sides.set('local', { kind: undefined, endpoint, start: undefined, end: undefined });
  }
  const one = sides.size === 1;
  const recordTime = typeof raw.timestamp === 'number' ? raw.timestamp : undefined;
  const recordDuration = typeof raw.duration === 'number' ? raw.duration : undefined;
  return [...sides.values()].map((side) => {
    const tags: Record<string, string> = {};
    binary.forEach((item, i) => {
      if (typeof item.key !== 'string' || ADDRESSES.has(item.key)) return;
      const named = endpointAt(item, `${path}.binaryAnnotations[${i}]`)?.serviceName;
      if (named !== undefined && named !== side.endpoint?.serviceName) return;
      const value = item.value;
      if (typeof value === 'string') tags[item.key] = value;
      else if (typeof value === 'number' || typeof value === 'boolean') tags[item.key] = String(value);
    });
    const start = one && recordTime !== undefined ? recordTime : (side.start ?? recordTime);
    const end = side.end !== undefined && side.start !== undefined ? side.end - side.start : undefined;
    const ownDuration = one && recordDuration !== undefined;
    const duration = ownDuration ? recordDuration : end;
    // The record has no duration to blame: name the annotation that ends the side before it starts.
    if (!ownDuration && end !== undefined && end < 0)
      throw new JsonFault(
        `${side.endAt ?? path}.timestamp`,
        `${side.end} is before the side's first annotation (${side.start}): a span cannot end before it starts`,
      );
    const shared = side.kind === 'SERVER' && (sides.has('CLIENT') || recordTime === undefined);
    const address = side.kind === undefined ? undefined : REMOTE_OF[side.kind];
    const at = binary.findIndex((item) => item.key === address);
    const remote =
      at === -1 ? undefined : endpointAt(binary[at] as Record<string, unknown>, `${path}.binaryAnnotations[${at}]`);
    return {
      traceId: raw.traceId,
      id: raw.id,
      ...(raw.parentId !== undefined && raw.parentId !== null ? { parentId: raw.parentId } : {}),
      name: raw.name ?? '',
      ...(side.kind ? { kind: side.kind } : {}),
      ...(start !== undefined ? { timestamp: start } : {}),
      ...(duration !== undefined ? { duration } : {}),
      ...(shared ? { shared: true } : {}),
      ...(side.endpoint ? { localEndpoint: side.endpoint } : {}),
      ...(remote ? { remoteEndpoint: remote } : {}),
      tags,
    };
  });
}
