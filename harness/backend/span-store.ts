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

/**
 * Every span the backend recorded or received, in arrival order and indexed by trace and span id. Stored
 * spans are frozen, never copied on the way in; readers get copies ({@link spans}) or new arrays of the
 * frozen spans ({@link snapshot}, {@link waitFor} conditions), so no caller can change what the store holds. Keeps its
 * data after the backend stops, and wakes waiters on the adds that concern them instead of polling.
 */
export class SpanStore {
  #spans: Span[] = [];
  #byTrace = new Map<string, Span[]>();
  #byId = new Map<string, Span>();
  readonly #waiters = new Set<Waiter>();

  /**
   * Stores spans (frozen in place: the store keeps these very objects, so they must not be changed
   * afterwards) and re-checks the pending {@link waitFor}s that watch them.
   */
  add(...spans: readonly Span[]): void {
    this.addAll(spans);
  }

  /** {@link add} for a list of any length (no argument spreading). */
  addAll(spans: readonly Span[]): void {
    if (spans.length === 0) return;
    const touched = this.#waiters.size > 0 ? new Set<string>() : undefined;
    for (const span of spans) {
      deepFreeze(span);
      this.#spans.push(span);
      const trace = this.#byTrace.get(span.traceId);
      if (trace) trace.push(span);
      else this.#byTrace.set(span.traceId, [span]);
      if (!this.#byId.has(span.spanId)) this.#byId.set(span.spanId, span);
      touched?.add(span.traceId);
    }
    if (touched) this.#wake((waiter) => waiter.traceId === undefined || touched.has(waiter.traceId));
  }

  /** Forgets every span (e.g. between runs of a soak) and re-checks every pending {@link waitFor}. */
  clear(): void {
    this.#spans = [];
    this.#byTrace = new Map();
    this.#byId = new Map();
    this.#wake(() => true);
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
    return this.#spans.slice();
  }

  /** A copy of the spans of one trace, in arrival order (empty when the store has none). */
  trace(traceId: string): Span[] {
    return (this.#byTrace.get(traceId) ?? []).map(copySpan);
  }

  /** A copy of the first stored span with this span id, if any. */
  span(spanId: string): Span | undefined {
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
