import { failure } from '../internal/messages';
import type { Span } from '../model';

/** Options for {@link SpanStore.waitFor}. */
export interface WaitOptions {
  /** Milliseconds to wait before rejecting; 5000 when absent. */
  readonly timeout?: number;
  /** Says what was awaited, for the rejection message (e.g. "4 spans of the checkout trace"). */
  readonly description?: string;
}

type Listener = () => void;

function copySpan(span: Span): Span {
  return structuredClone(span);
}

/**
 * Every span the backend recorded or received. Hands out copies, keeps its data after the backend stops,
 * and wakes waiters on every add instead of polling.
 */
export class SpanStore {
  readonly #spans: Span[] = [];
  readonly #listeners = new Set<Listener>();

  /** Adds spans and re-checks every pending {@link waitFor}. */
  add(...spans: readonly Span[]): void {
    if (spans.length === 0) return;
    for (const span of spans) this.#spans.push(copySpan(span));
    for (const listener of [...this.#listeners]) listener();
  }

  /** A copy of every stored span, in arrival order. */
  spans(): Span[] {
    return this.#spans.map(copySpan);
  }

  /** Number of stored spans, without copying them. */
  get size(): number {
    return this.#spans.length;
  }

  /**
   * Resolves with a copy of the spans as soon as `condition` holds for them; rejects at the deadline with
   * what it saw. The condition gets copies, so it may keep them.
   * @example await store.waitFor((spans) => spans.some((s) => s.service === 'fraud-service'), { timeout: 2000 })
   */
  waitFor(condition: (spans: readonly Span[]) => boolean, options: WaitOptions = {}): Promise<Span[]> {
    const timeout = options.timeout ?? 5000;
    const description = options.description ?? 'the awaited spans';
    return new Promise<Span[]>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const check = (): boolean => {
        const spans = this.spans();
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
        resolve(spans);
        return true;
      };
      const finish = (): void => {
        this.#listeners.delete(listener);
        if (timer) clearTimeout(timer);
      };
      const listener = (): void => void check();
      if (check()) return;
      this.#listeners.add(listener);
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

  /** "3 spans (api-gateway: 2, mobile-app: 1)" or "no spans". */
  #describe(): string {
    if (this.#spans.length === 0) return 'no spans';
    const counts = new Map<string, number>();
    for (const span of this.#spans) counts.set(span.service, (counts.get(span.service) ?? 0) + 1);
    const parts = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([service, count]) => `${service}: ${count}`);
    return `${this.#spans.length} span${this.#spans.length === 1 ? '' : 's'} (${parts.join(', ')})`;
  }
}
