import { failure } from '../internal/messages';
import type { AttributeValue, Span } from '../model';

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
  check(): void;
}

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

/** A mutable deep copy of a stored (frozen) span. */
function copySpan(span: Span): Span {
  const attributes = copyValue(span.attributes) as Span['attributes'];
  return span.source ? { ...span, attributes, source: { ...span.source } } : { ...span, attributes };
}

/** Set by {@link SpanStore}'s static block: the only way in to {@link SpanStore}'s adopting add. */
let adopt: ((store: SpanStore, spans: readonly Span[]) => void) | undefined;

/**
 * Stores spans that nobody else holds (the backend's own: freshly decoded by the OTLP receiver or recorded by
 * a service's tracer) without freezing them now: they are frozen before any reader can see them. Keeps the
 * receiver's request handler to decoding and one push per span. Not in the module's barrel: a caller that kept
 * a span could change the store through it, which {@link SpanStore.addAll} prevents.
 */
export function adoptSpans(store: SpanStore, spans: readonly Span[]): void {
  if (adopt) adopt(store, spans);
  else store.addAll(spans);
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
  #spans: Span[] = [];
  /** Spans before this position are frozen (all of them unless adopted spans wait for a reader). */
  #frozen = 0;
  /** Spans before this position are in the indexes below. */
  #indexed = 0;
  #byTrace = new Map<string, Span[]>();
  #byId = new Map<string, Span>();
  readonly #waiters = new Set<Waiter>();

  static {
    adopt = (store, spans) => store.#store(spans, false);
  }

  /**
   * Stores spans (frozen in place: the store keeps these very objects, so they must not be changed
   * afterwards) and re-checks the pending {@link waitFor}s that watch them.
   */
  add(...spans: readonly Span[]): void {
    this.addAll(spans);
  }

  /** {@link add} for a list of any length (no argument spreading). */
  addAll(spans: readonly Span[]): void {
    this.#store(spans, true);
  }

  #store(spans: readonly Span[], freeze: boolean): void {
    if (spans.length === 0) return;
    const allFrozen = this.#frozen === this.#spans.length;
    for (const span of spans) {
      if (freeze) deepFreeze(span);
      this.#spans.push(span);
    }
    if (freeze && allFrozen) this.#frozen = this.#spans.length;
    if (this.#waiters.size === 0) return;
    const touched = new Set<string>();
    for (const span of spans) touched.add(span.traceId);
    this.#wake((waiter) => waiter.traceId === undefined || touched.has(waiter.traceId));
  }

  /** Forgets every span (e.g. between runs of a soak) and re-checks every pending {@link waitFor}. */
  clear(): void {
    this.#spans = [];
    this.#frozen = 0;
    this.#indexed = 0;
    this.#byTrace = new Map();
    this.#byId = new Map();
    this.#wake(() => true);
  }

  /** Freezes the adopted spans no reader has seen yet. */
  #freezeAll(): void {
    const spans = this.#spans;
    for (let i = this.#frozen; i < spans.length; i++) {
      const span = spans[i];
      if (span) deepFreeze(span);
    }
    this.#frozen = spans.length;
  }

  /** Adds the spans stored since the last lookup to the indexes by trace and span id. */
  #index(): void {
    const spans = this.#spans;
    for (let i = this.#indexed; i < spans.length; i++) {
      const span = spans[i];
      if (!span) continue;
      const trace = this.#byTrace.get(span.traceId);
      if (trace) trace.push(span);
      else this.#byTrace.set(span.traceId, [span]);
      if (!this.#byId.has(span.spanId)) this.#byId.set(span.spanId, span);
    }
    this.#indexed = spans.length;
  }

  /** A copy of every stored span, in arrival order. */
  spans(): Span[] {
    return this.#spans.map(copySpan);
  }

  /**
   * Every stored span in arrival order, without copying the spans: a new array of the stored (frozen)
   * spans, so changing the array changes nothing else. (Freezing a large array costs far more than copying it.)
   */
  snapshot(): readonly Span[] {
    this.#freezeAll();
    return this.#spans.slice();
  }

  /** A copy of the spans of one trace, in arrival order (empty when the store has none). */
  trace(traceId: string): Span[] {
    this.#index();
    return (this.#byTrace.get(traceId) ?? []).map(copySpan);
  }

  /** A copy of the first stored span with this span id, if any. */
  span(spanId: string): Span | undefined {
    this.#index();
    const span = this.#byId.get(spanId);
    return span ? copySpan(span) : undefined;
  }

  /** Number of stored spans, without copying them. */
  get size(): number {
    return this.#spans.length;
  }

  /**
   * Resolves with a copy of the spans as soon as `condition` holds for them; rejects at the deadline with
   * what it saw. The condition gets a new array of the stored (frozen) spans, never copies, which it may keep; with
   * `traceId` it sees only that trace's spans and runs only when that trace grows.
   * @example await store.waitFor((spans) => spans.some((s) => s.service === 'fraud-service'), { timeout: 2000 })
   */
  waitFor(condition: (spans: readonly Span[]) => boolean, options: WaitOptions = {}): Promise<Span[]> {
    const timeout = options.timeout ?? 5000;
    const description = options.description ?? 'the awaited spans';
    const traceId = options.traceId;
    const view = (): readonly Span[] => (traceId === undefined ? this.snapshot() : this.#traceView(traceId));
    return new Promise<Span[]>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (): void => {
        this.#waiters.delete(waiter);
        if (timer) clearTimeout(timer);
      };
      const check = (): boolean => {
        const spans = view();
        let held: boolean;
        try {
          held = condition(spans);
        } catch (error) {
          finish();
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the caller's own throw, unchanged
          reject(error);
          return true;
        }
        if (!held) return false;
        finish();
        resolve(spans.map(copySpan));
        return true;
      };
      const waiter: Waiter = { traceId, check: () => void check() };
      if (check()) return;
      this.#waiters.add(waiter);
      timer = setTimeout(() => {
        finish();
        reject(
          new Error(
            failure(
              `wait for ${description}`,
              `after ${timeout} ms the store held ${this.#describe()}`,
              'Check that every service and the app exported their spans.',
            ),
          ),
        );
      }, timeout);
    });
  }

  /** A new array of one trace's stored spans, so a condition cannot grow or reorder the index. */
  #traceView(traceId: string): readonly Span[] {
    this.#freezeAll();
    this.#index();
    return this.#byTrace.get(traceId)?.slice() ?? [];
  }

  #wake(matters: (waiter: Waiter) => boolean): void {
    // A waiter settled by an earlier check of this same wake has left the set: skip it.
    for (const waiter of [...this.#waiters]) if (this.#waiters.has(waiter) && matters(waiter)) waiter.check();
  }

  /** "3 spans (api-gateway: 2, mobile-app: 1)" or "no spans". */
  #describe(): string {
    if (this.#spans.length === 0) return 'no spans';
    const counts = new Map<string, number>();
    for (const span of this.#spans) counts.set(span.service, (counts.get(span.service) ?? 0) + 1);
    const parts = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([service, count]) => `${service}: ${count}`);
    return `${this.#spans.length} span${this.#spans.length === 1 ? '' : 's'} (${parts.join(', ')})`;
  }
}
