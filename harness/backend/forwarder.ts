import { encodeOtlpJson } from '../model/otlp-json';
import type { Span } from '../model/span';
import { failure } from '../internal/messages';
import { callDownstream } from './internal/downstream-call';

/** Forwards spans to an external OTLP/HTTP collector (TRACEHOP_FORWARD_OTLP), in order, one export at a time. */
export interface SpanForwarder {
  /** Queues spans; an export starts on the next turn of the event loop. */
  add(spans: readonly Span[]): void;
  /** Resolves once every queued span was sent (or failed). */
  flush(): Promise<void>;
}

/**
 * Creates a forwarder to `url` (the collector's /v1/traces). Failures are reported once through `onError`
 * and never stop the backend.
 * @example createForwarder('http://127.0.0.1:4318/v1/traces', (message) => console.error(message))
 */
export function createForwarder(url: string, onError: (message: string) => void): SpanForwarder {
  let queue: Span[] = [];
  let running: Promise<void> = Promise.resolve();
  let reported = false;
  const send = async (): Promise<void> => {
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    const result = await callDownstream(url, 'POST', [], JSON.stringify(encodeOtlpJson(batch)));
    const cause = !result.ok ? result.cause : result.status >= 300 ? `the collector answered ${result.status}` : undefined;
    if (cause && !reported) {
      reported = true;
      onError(failure(`forward spans to "${url}"`, cause, 'Check TRACEHOP_FORWARD_OTLP points at a running OTLP/HTTP collector (…/v1/traces).'));
    }
  };
  return {
    add(spans) {
      if (spans.length === 0) return;
      const wasEmpty = queue.length === 0;
      queue.push(...spans);
      if (wasEmpty) running = running.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(send);
    },
    flush() {
      running = running.then(send);
      return running;
    },
  };
}
