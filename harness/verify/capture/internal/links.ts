import type { CapturedRequest, Span } from '../../../model';
import { extractContexts, headerValues, type ExtractedContexts, type Traceparent } from '../../../propagation';
import { CALL_ID_ATTRIBUTE, CALL_ID_HEADER, hasTime } from '../../../model';

/** One capture with what the checks need around it. */
export interface CaptureView {
  readonly capture: CapturedRequest;
  readonly contexts: ExtractedContexts;
  /** The decoded traceparent, when exactly one valid header arrived. */
  readonly traceparent?: Traceparent;
  /** The caller's CLIENT span, tied by the backend's call id header or, for the app, by URL and time. */
  readonly callerSpan?: Span;
  /**
   * How the caller was found: `call-id` for a mock-backend service, `url` for a client outside the backend
   * (the app), whose CLIENT span called this path with this method while the request arrived.
   */
  readonly callerLink?: 'call-id' | 'url';
  /** The SERVER span the receiving service started, when it was stored. */
  readonly serverSpan?: Span;
}

export interface CaptureViews {
  readonly views: CaptureView[];
  readonly spanById: Map<string, Span[]>;
}

/** The views of the running {@link withSharedViews} call, so the checks it runs decode each header once. */
let shared: { captures: readonly CapturedRequest[]; spans: readonly Span[]; result: CaptureViews } | undefined;

/** Runs `checks` with one decoding of the captures shared by every viewCaptures call on the same arrays. */
export function withSharedViews<T>(captures: readonly CapturedRequest[], spans: readonly Span[], checks: () => T): T {
  shared = { captures, spans, result: buildViews(captures, spans) };
  try {
    return checks();
  } finally {
    shared = undefined;
  }
}

/** Indexes spans and decodes each capture once (once per {@link withSharedViews} run). */
export function viewCaptures(captures: readonly CapturedRequest[], spans: readonly Span[]): CaptureViews {
  return shared && shared.captures === captures && shared.spans === spans ? shared.result : buildViews(captures, spans);
}

function buildViews(captures: readonly CapturedRequest[], spans: readonly Span[]): CaptureViews {
  const byCallId = new Map<string, Span>();
  const spanById = new Map<string, Span[]>();
  for (const span of spans) {
    const callId = span.attributes[CALL_ID_ATTRIBUTE];
    if (typeof callId === 'string' && span.kind === 'client') byCallId.set(callId, span);
    let list = spanById.get(span.spanId);
    if (!list) spanById.set(span.spanId, (list = []));
    list.push(span);
  }
  const urlClients = appClients(spans);
  const offset = deviceClockOffsetMs(captures, urlClients);
  const views = captures.map((capture): CaptureView => {
    const contexts = extractContexts(capture.headers);
    const traceparent = contexts.traceparent?.result.ok ? contexts.traceparent.result.value : undefined;
    const callId = headerValues(capture.headers, CALL_ID_HEADER)[0];
    const byId = callId !== undefined ? byCallId.get(callId) : undefined;
    const byUrl = callId === undefined ? urlCaller(capture, urlClients, offset) : undefined;
    const callerSpan = byId ?? byUrl;
    const callerLink = byId ? 'call-id' : byUrl ? 'url' : undefined;
    const serverSpan = capture.serverSpanId
      ? spanById
          .get(capture.serverSpanId)
          ?.find((span) => span.traceId === capture.serverTraceId && span.service === capture.service)
      : undefined;
    return {
      capture,
      contexts,
      ...(traceparent ? { traceparent } : {}),
      ...(callerSpan ? { callerSpan } : {}),
      ...(callerLink ? { callerLink } : {}),
      ...(serverSpan ? { serverSpan } : {}),
    };
  });
  return { views, spanById };
}

/** The CLIENT spans of callers outside the mock backend (no call id): the app's. */
export function appClients(spans: readonly Span[]): Span[] {
  return spans.filter((span) => span.kind === 'client' && span.attributes[CALL_ID_ATTRIBUTE] === undefined);
}

/** How far (ms) a request may arrive outside its CLIENT span's start and end: device and host clocks round differently. */
const URL_LINK_SLACK_MS = 250;

/** Parent ids named by any traceparent or b3 value of the request, valid or not (a duplicate names two). */
function headerParentIds(capture: CapturedRequest): Set<string> {
  const ids = new Set<string>();
  const values = [...headerValues(capture.headers, 'traceparent'), ...headerValues(capture.headers, 'b3')];
  for (const value of values.flatMap((line) => line.split(','))) {
    for (const part of value.trim().split('-')) if (/^[0-9a-f]{16}$/.test(part)) ids.add(part);
  }
  return ids;
}

/** `/checkout?x=1` of a span's `url.full`, or undefined. */
function pathOf(url: unknown): string | undefined {
  if (typeof url !== 'string' || !URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

/**
 * The HTTP method a CLIENT span names: `http.request.method` (stable semantic conventions), or `http.method`,
 * which instrumentations still write by default (OpenTelemetry JS's fetch and XHR ones among them).
 */
function methodOf(span: Span): unknown {
  return span.attributes['http.request.method'] ?? span.attributes['http.method'];
}

/**
 * The CLIENT span of a caller outside the mock backend (the app sends no call id) that made this request:
 * same method (for a CORS preflight, the method it asks for) and path (`url.full`, or the older `http.url`),
 * and the request arrived while the span was open. The latest such span that started before the request wins.
 */
export function urlCaller(capture: CapturedRequest, clients: readonly Span[], offsetMs = 0): Span | undefined {
  const method = requestedMethod(capture);
  // The arrival on the app's clock: a device clock runs `offsetMs` behind the backend's.
  const arrival = capture.timeMs - offsetMs;
  const candidates = clients.filter(
    (span) =>
      methodOf(span) === method &&
      pathOf(span.attributes['url.full'] ?? span.attributes['http.url']) === capture.path &&
      arrival >= span.startTimeMs - URL_LINK_SLACK_MS &&
      arrival <= span.endTimeMs + URL_LINK_SLACK_MS,
  );
  // A retry's two spans can both fit the window: the span a header names wins, then one open at arrival.
  const named = headerParentIds(capture);
  const rank = (span: Span): number =>
    named.has(span.spanId) ? 0 : arrival >= span.startTimeMs && arrival <= span.endTimeMs ? 1 : 2;
  const distance = (span: Span): number => Math.abs(arrival - span.startTimeMs);
  let best: Span | undefined;
  for (const span of candidates) {
    if (!best || rank(span) < rank(best) || (rank(span) === rank(best) && distance(span) < distance(best))) best = span;
  }
  return best;
}

/** The method a request made (for a CORS preflight, the method it asks about). */
function requestedMethod(capture: CapturedRequest): string {
  return capture.method === 'OPTIONS'
    ? (headerValues(capture.headers, 'access-control-request-method')[0]?.toUpperCase() ?? 'OPTIONS')
    : capture.method;
}

/** Past this many (request, span) pairs the offset is not searched for: 0 is taken. */
const MAX_OFFSET_PAIRS = 1024;

/**
 * How far (ms) the app's clock runs behind the backend's (negative: ahead), so that its CLIENT spans can be
 * matched to the requests the backend captured: emulators restored from a snapshot and real devices are often
 * seconds off. Of the offsets that put a request inside a CLIENT span that may have sent it (one its trace
 * header names, or one on its method and path), the one that fits the most requests, the nearest to 0 among
 * equals; 0 when nothing ties a request to a span (a span with no time ties none). `clients`: the app's CLIENT spans (no call id).
 */
export function deviceClockOffsetMs(captures: readonly CapturedRequest[], clients: readonly Span[]): number {
  const byId = new Map<string, Span>();
  const byRoute = new Map<string, Span[]>();
  for (const span of clients) {
    // A span the input gave no time (hasTime) starts at 0: no clock is read off it.
    if (!hasTime(span)) continue;
    byId.set(span.spanId, span);
    const key = `${String(methodOf(span))} ${String(pathOf(span.attributes['url.full'] ?? span.attributes['http.url']))}`;
    const list = byRoute.get(key);
    if (list) list.push(span);
    else byRoute.set(key, [span]);
  }
  // Both kinds of candidate at once: a header may name an earlier request's span (a traceparent cached and
  // sent again), which alone would read as the clock being off by the time between the two requests.
  const entries = captures
    .filter((capture) => headerValues(capture.headers, CALL_ID_HEADER).length === 0)
    .map((capture) => {
      const named = [...headerParentIds(capture)].map((id) => byId.get(id)).filter((span) => span !== undefined);
      const routed = byRoute.get(`${requestedMethod(capture)} ${capture.path}`) ?? [];
      return { capture, named: named.length > 0, spans: [...new Set([...named, ...routed])] };
    })
    .filter((entry) => entry.spans.length > 0);
  // Requests whose header names an exported span of the app are the app's own: when there are any, they alone
  // decide. Others on the same route may be a spec's setup calls or a client that does not trace, and would
  // outvote them.
  const traced = entries.filter((entry) => entry.named);
  return bestOffset(traced.length > 0 ? traced : entries);
}

/** The offset (arrival minus span start) that puts the most requests inside one of their spans. */
function bestOffset(
  all: ReadonlyArray<{ readonly capture: CapturedRequest; readonly spans: readonly Span[] }>,
): number {
  // The latest requests tell the clock of the run being judged: keep as many as the search can afford.
  let pairs = 0;
  let first = all.length;
  while (first > 0 && pairs + (all[first - 1] as (typeof all)[number]).spans.length <= MAX_OFFSET_PAIRS)
    pairs += (all[--first] as (typeof all)[number]).spans.length;
  const entries = all.slice(first);
  if (pairs === 0) return 0;
  const fits = (offset: number): number =>
    entries.filter(({ capture, spans }) =>
      spans.some(
        (span) =>
          capture.timeMs - offset >= span.startTimeMs - URL_LINK_SLACK_MS &&
          capture.timeMs - offset <= span.endTimeMs + URL_LINK_SLACK_MS,
      ),
    ).length;
  let best = 0;
  let bestFits = fits(0);
  for (const { capture, spans } of entries) {
    for (const span of spans) {
      const offset = capture.timeMs - span.startTimeMs;
      const count = fits(offset);
      if (count > bestFits || (count === bestFits && Math.abs(offset) < Math.abs(best))) {
        best = offset;
        bestFits = count;
      }
    }
  }
  return best;
}

/** "api-gateway" for a linked caller, else "its caller". */
export function callerName(view: CaptureView): string {
  return view.callerSpan?.service ?? 'its caller';
}

/** "payment-api (POST /payments)". */
export function receiver(view: CaptureView): string {
  return `${view.capture.service} (${view.capture.method} ${view.capture.path.split('?')[0]})`;
}
