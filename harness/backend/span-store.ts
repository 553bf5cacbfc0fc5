import { performance } from 'node:perf_hooks';
import { setImmediate as nodeSetImmediate, setTimeout as nodeSetTimeout } from 'node:timers';
import { failure } from '../internal/messages';
import type { AttributeValue, Attributes, Span } from '../model';

/** Options for {@link SpanStore.waitFor}. */
export interface WaitOptions {
  /** Milliseconds to wait before rejecting; 5000 when absent. */
  readonly timeout?: number;
  /** Says what was awaited, for the rejection message (e.g. "4 spans of the checkout trace"). */
  readonly description?: string;
  /**
   * Watch one trace: the condition sees only that trace's spans, in arrival order, and is re-checked only
   * when a span of that trace arrives (or the store is cleared), however many other spans come and go.
   */
  readonly traceId?: string;
}

/** A pending {@link SpanStore.waitFor}: re-checked with a read-only view of the spans it watches. */
interface Waiter {
  readonly traceId: string | undefined;
  /** Spans it watches arrived since its last check: a check is due at the end of this turn. */
  due: boolean;
  check(): void;
}

/**
 * Node's own setImmediate, taken when this module loads: Jest's fake timers replace the global one (and, on
 * the real global, the timers module's), which would hold a due check until the test advanced the clock.
 * Where fake timers replaced the timers module's too before this module loaded (@sinonjs/fake-timers installed
 * on the real global first: sinon, Vitest; it marks its fakes with their `clock`), a due check waits for a
 * microtask instead, once the adds made in one go are done: a waiter is never left to the fake clock (nor is its
 * deadline, which that clock holds too: the wait would never end).
 */
const faked = typeof (nodeSetImmediate as { clock?: unknown }).clock === 'object';
const checkLater: (callback: () => void) => unknown = faked
  ? (callback) => void Promise.resolve().then(callback)
  : nodeSetImmediate;

/**
 * Due checks take at most about a fifth of the time: a run of them that took `d` ms (HELD_CHECK_MS or more) is
 * followed by the next no sooner than `CHECK_SPACING * d` ms after it ends (by Node's own setTimeout, 1 ms at the
 * least, when adds come sooner). Checks of a few spans take microseconds and hold nothing back; a condition that
 * scans 10,000 spans on every add of a busy backend is run about once a millisecond instead of once a turn.
 */
const CHECK_SPACING = 4;
/** Runs of checks shorter than this (ms) hold nothing back: each turn's adds are checked in that turn. */
const HELD_CHECK_MS = 0.1;

/** Freezes a span and everything it holds, so a stored span can be shared instead of copied. */
function deepFreeze(value: object): void {
  if (Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (typeof item === 'object' && item !== null) deepFreeze(item);
  }
}

function copyValue(value: AttributeValue): AttributeValue {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyValue);
  const out: Record<string, AttributeValue> = {};
  for (const key of Object.keys(value)) {
    const item = copyValue(value[key] ?? null);
    // A "__proto__" attribute is data: defining it keeps it an own property, as it was stored.
    if (key === '__proto__') Object.defineProperty(out, key, { value: item, enumerable: true, writable: true });
    else out[key] = item;
  }
  return out;
}

function copyAttributes(attributes: Attributes): Attributes {
  return copyValue(attributes) as Attributes;
}

/** A mutable deep copy of a received span's events and origin (the stored ones are frozen and shared). */
function copyDetail(span: Span): Pick<Span, 'events' | 'origin'> {
  const { events, origin } = span;
  const copied: { -readonly [K in 'events' | 'origin']?: Span[K] } = {};
  if (events) {
    copied.events = events.map((event) =>
      event.attributes ? { ...event, attributes: copyAttributes(event.attributes) } : { ...event },
    );
  }
  if (origin) {
    const { scope } = origin;
    copied.origin = {
      resource: { attributes: copyAttributes(origin.resource.attributes) },
      scope: scope.attributes ? { ...scope, attributes: copyAttributes(scope.attributes) } : { ...scope },
    };
  }
  return copied;
}

/** A mutable deep copy of a stored (frozen) span. */
function copySpan(span: Span): Span {
  const attributes = copyAttributes(span.attributes);
  const detail = span.events || span.origin ? copyDetail(span) : {};
  return span.source
    ? { ...span, attributes, ...detail, source: { ...span.source } }
    : { ...span, attributes, ...detail };
}

/**
 * What one store holds, out of every caller's reach as `#` fields would be. Not `#` fields: the declarations of
 * a class with any hold a `#private` member, which an app compiling to ES5 with skipLibCheck off gets TS18028 for.
 */
interface Held {
  spans: Span[];
  /** Spans before this position are frozen (all of them unless adopted spans wait for a reader). */
  frozen: number;
  /** Spans before this position are in the indexes below. */
  indexed: number;
  byTrace: Map<string, Span[]>;
  byId: Map<string, Span>;
  readonly waiters: Set<Waiter>;
  /** A run of the due checks is scheduled (one per turn however many adds the turn makes). */
  checkScheduled: boolean;
  /** When (performance.now()) the next run of due checks may start: see CHECK_SPACING. */
  nextCheckAt: number;
  /**
   * A waiter's condition is running: spans it adds make the waiters watching them due without scheduling a
   * run, so a condition that adds spans cannot wake itself (or another that adds in turn) for ever.
   */
  inCondition: boolean;
}

const holdings = new WeakMap<SpanStore, Held>();

/** What `store` holds; a TypeError for anything that is not a SpanStore, as a `#` field's read gives. */
function heldBy(store: SpanStore): Held {
  const held = holdings.get(store);
  if (held === undefined) throw new TypeError('not a SpanStore: call its methods on a store (new SpanStore())');
  return held;
}

/**
 * Stores spans that nobody else holds (the backend's own: freshly decoded by the OTLP receiver or recorded by
 * a service's tracer) without freezing them now: they are frozen before any reader can see them. Keeps the
 * receiver's request handler to decoding and one push per span. Not in the module's barrel: a caller that kept
 * a span could change the store through it, which {@link SpanStore.addAll} prevents.
 */
export function adoptSpans(store: SpanStore, spans: readonly Span[]): void {
  storeSpans(heldBy(store), spans, false);
}

function storeSpans(held: Held, spans: readonly Span[], freeze: boolean): void {
  if (spans.length === 0) return;
  const allFrozen = held.frozen === held.spans.length;
  for (const span of spans) {
    if (freeze) deepFreeze(span);
    held.spans.push(span);
  }
  if (freeze && allFrozen) held.frozen = held.spans.length;
  if (held.waiters.size === 0) return;
  let touched: Set<string> | undefined;
  // Waiters made due by a condition's adds are checked with the next adds made outside any condition.
  let due = false;
  for (const waiter of held.waiters) {
    if (waiter.due) {
      due = true;
      continue;
    }
    if (waiter.traceId !== undefined) {
      if (!touched) {
        touched = new Set();
        for (const span of spans) touched.add(span.traceId);
      }
      if (!touched.has(waiter.traceId)) continue;
    }
    waiter.due = true;
    due = true;
  }
  if (due && !held.checkScheduled && !held.inCondition) {
    held.checkScheduled = true;
    const run = (): void => {
      held.checkScheduled = false;
      const start = performance.now();
      runDueChecks(held);
      const end = performance.now();
      held.nextCheckAt = end - start >= HELD_CHECK_MS ? end + CHECK_SPACING * (end - start) : 0;
    };
    const wait = held.nextCheckAt - performance.now();
    if (wait > 0 && !faked) nodeSetTimeout(run, wait);
    else checkLater(run);
  }
}

/** Checks every waiter whose spans grew since its last check, once, with the store as it is now. */
function runDueChecks(held: Held): void {
  // A waiter settled by an earlier check of this same run has left the set: skip it.
  for (const waiter of [...held.waiters]) {
    if (waiter.due && held.waiters.has(waiter)) {
      waiter.due = false;
      waiter.check();
    }
  }
}

/** Freezes the adopted spans no reader has seen yet. */
function freezeAll(held: Held): void {
  const spans = held.spans;
  for (let i = held.frozen; i < spans.length; i++) {
    const span = spans[i];
    if (span) deepFreeze(span);
  }
  held.frozen = spans.length;
}

/** Adds the spans stored since the last lookup to the indexes by trace and span id. */
function index(held: Held): void {
  const spans = held.spans;
  for (let i = held.indexed; i < spans.length; i++) {
    const span = spans[i];
    if (!span) continue;
    const trace = held.byTrace.get(span.traceId);
    if (trace) trace.push(span);
    else held.byTrace.set(span.traceId, [span]);
    if (!held.byId.has(span.spanId)) held.byId.set(span.spanId, span);
  }
  held.indexed = spans.length;
}

/** A new array of one trace's stored spans, so a condition cannot grow or reorder the index. */
function traceView(held: Held, traceId: string): readonly Span[] {
  freezeAll(held);
  index(held);
  return held.byTrace.get(traceId)?.slice() ?? [];
}

/** "3 spans (api-gateway: 2, mobile-app: 1)" or "no spans". */
function describeHeld(held: Held): string {
  if (held.spans.length === 0) return 'no spans';
  const counts = new Map<string, number>();
  for (const span of held.spans) counts.set(span.service, (counts.get(span.service) ?? 0) + 1);
  const parts = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([service, count]) => `${service}: ${count}`);
  return `${held.spans.length} span${held.spans.length === 1 ? '' : 's'} (${parts.join(', ')})`;
}

/**
 * Every span the backend recorded or received, in arrival order and indexed by trace and span id. Stored
 * spans are frozen, never copied on the way in; readers get copies ({@link spans}) or new arrays of the
 * frozen spans ({@link snapshot}, {@link waitFor} conditions), so no caller can change what the store holds. Keeps its
 * data after the backend stops, and wakes waiters on the adds that concern them instead of polling.
 * The indexes by trace and span id are brought up to date when first asked ({@link trace}, {@link span}, a
 * wait on one trace), so adding spans costs one push each however many are stored.
 */
export class SpanStore {
  constructor() {
    holdings.set(this, {
      spans: [],
      frozen: 0,
      indexed: 0,
      byTrace: new Map(),
      byId: new Map(),
      waiters: new Set(),
      checkScheduled: false,
      nextCheckAt: 0,
      inCondition: false,
    });
  }

  /**
   * Stores spans (frozen in place: the store keeps these very objects, so they must not be changed
   * afterwards); the pending {@link waitFor}s that watch them are re-checked once at the end of this event-loop
   * turn, after every add the turn makes.
   */
  add(...spans: readonly Span[]): void {
    this.addAll(spans);
  }

  /** {@link add} for a list of any length (no argument spreading). */
  addAll(spans: readonly Span[]): void {
    storeSpans(heldBy(this), spans, true);
  }

  /**
   * Forgets every span (e.g. between runs of a soak) and re-checks every pending {@link waitFor} at once. A
   * check still due for spans added before is made first, with those spans.
   */
  clear(): void {
    const held = heldBy(this);
    runDueChecks(held);
    held.spans = [];
    held.frozen = 0;
    held.indexed = 0;
    held.byTrace = new Map();
    held.byId = new Map();
    for (const waiter of held.waiters) waiter.due = true;
    runDueChecks(held);
  }

  /** A copy of every stored span, in arrival order. */
  spans(): Span[] {
    return heldBy(this).spans.map(copySpan);
  }

  /**
   * Every stored span in arrival order, without copying the spans: a new array of the stored (frozen)
   * spans, so changing the array changes nothing else. (Freezing a large array costs far more than copying it.)
   */
  snapshot(): readonly Span[] {
    const held = heldBy(this);
    freezeAll(held);
    return held.spans.slice();
  }

  /** A copy of the spans of one trace, in arrival order (empty when the store has none). */
  trace(traceId: string): Span[] {
    const held = heldBy(this);
    index(held);
    return (held.byTrace.get(traceId) ?? []).map(copySpan);
  }

  /** A copy of the first stored span with this span id, if any. */
  span(spanId: string): Span | undefined {
    const held = heldBy(this);
    index(held);
    const span = held.byId.get(spanId);
    return span ? copySpan(span) : undefined;
  }

  /** Number of stored spans, without copying them. */
  get size(): number {
    return heldBy(this).spans.length;
  }

  /**
   * Resolves with a copy of the spans as soon as `condition` holds for them; rejects at the deadline with
   * what it saw. The condition runs at once, then once for each event-loop turn in which spans it watches
   * arrived, after that turn's adds (a setImmediate that fake timers do not hold back; at the deadline and
   * before a {@link clear}, a check still due is made first), and after a clear: it sees every span, though
   * not each add's state between two adds of one turn. Checks take at most about a fifth of the time: after a
   * run of checks that took d ms (0.1 ms or more), adds in the next 4d ms are checked together once that time is
   * up (a condition that scans 10,000 spans runs about once a millisecond on a busy backend, not every turn). The condition gets a new array of the stored (frozen) spans, never copies, which it may keep; with
   * `traceId` it sees only that trace's spans and runs only when that trace grows. Spans a condition adds to
   * the store wake no waiter, itself included: the waiters watching them are checked with them at the next
   * add made outside a condition, a {@link clear}, or their deadline (so such a condition ends, held or not).
   * @example await store.waitFor((spans) => spans.some((s) => s.service === 'fraud-service'), { timeout: 2000 })
   */
  waitFor(condition: (spans: readonly Span[]) => boolean, options: WaitOptions = {}): Promise<Span[]> {
    const timeout = options.timeout ?? 5000;
    const description = options.description ?? 'the awaited spans';
    const traceId = options.traceId;
    const held = heldBy(this);
    const view = (): readonly Span[] => (traceId === undefined ? this.snapshot() : traceView(held, traceId));
    return new Promise<Span[]>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (): void => {
        held.waiters.delete(waiter);
        if (timer) clearTimeout(timer);
      };
      const check = (): boolean => {
        const spans = view();
        let holds: boolean;
        // A condition may start a wait of its own, whose first check runs inside it.
        const outer = held.inCondition;
        held.inCondition = true;
        try {
          holds = condition(spans);
        } catch (error) {
          finish();
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the caller's own throw, unchanged
          reject(error);
          return true;
        } finally {
          held.inCondition = outer;
        }
        if (!holds) return false;
        finish();
        resolve(spans.map(copySpan));
        return true;
      };
      const waiter: Waiter = { traceId, due: false, check: () => void check() };
      if (check()) return;
      held.waiters.add(waiter);
      timer = setTimeout(() => {
        // Spans that arrived before the deadline count, though their check was not yet made.
        if (waiter.due) {
          waiter.due = false;
          if (check()) return;
        }
        finish();
        reject(
          new Error(
            failure(
              `wait for ${description}`,
              `after ${timeout} ms the store held ${describeHeld(held)}`,
              'Check that every service and the app exported their spans.',
            ),
          ),
        );
      }, timeout);
    });
  }
}
