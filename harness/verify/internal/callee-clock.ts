import { hasTime, type Span } from '../../model';

/**
 * How finely span times are stamped: OpenTelemetry JS (Node.js and web) starts a span at `Date.now()`, whole
 * milliseconds, and ends it at that start plus a measured duration, so either may read up to this much early.
 * A callee whose request arrived within the millisecond its caller started shows the very start of the call,
 * and one that started as the call ended may show a start just after the call's recorded end.
 */
export const START_RESOLUTION_MS = 1;

/**
 * How many ms the callee's clock runs ahead of its caller's, read off `calls` (each a CLIENT span and the
 * SERVER span that answered it): the median over the calls of ((server start - client start) - (client end -
 * server end)) / 2, kept within what the calls prove, as no callee starts before its call started nor after
 * it ended. The median alone runs high when callees end late: HTTP instrumentations end a SERVER span once
 * the response is flushed, which may be milliseconds after the caller read it.
 */
export function calleeAheadMs(calls: ReadonlyArray<readonly [client: Span, server: Span]>): number {
  if (calls.length === 0) return 0;
  const guesses: number[] = [];
  let least = Number.NEGATIVE_INFINITY;
  let most = Number.POSITIVE_INFINITY;
  for (const [client, server] of calls) {
    // A span with no time (start 0) says nothing of either clock.
    if (!hasTime(client) || !hasTime(server)) continue;
    guesses.push((server.startTimeMs - client.startTimeMs - (client.endTimeMs - server.endTimeMs)) / 2);
    least = Math.max(least, server.startTimeMs - client.endTimeMs);
    most = Math.min(most, server.startTimeMs - client.startTimeMs);
  }
  const guess = median(guesses);
  // Bounds that contradict each other beyond the resolution of span times (a clock that moved during the
  // dump) prove nothing: the guess alone. Within it, the middle of the two.
  if (least > most + START_RESOLUTION_MS) return guess;
  if (least > most) return (least + most) / 2;
  return Math.min(Math.max(guess, least), most);
}

/**
 * Whether a callee's span starting at `start` (taken back to the caller's clock) started while `call` ran,
 * give or take the resolution of span times at either end.
 */
export function runningAt(call: Span, start: number): boolean {
  return call.startTimeMs - START_RESOLUTION_MS <= start && start <= call.endTimeMs + START_RESOLUTION_MS;
}

/** The median of `values`; 0 for none. */
function median(values: number[]): number {
  if (values.length === 0) return 0;
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 === 1
    ? (values[mid] as number)
    : ((values[mid - 1] as number) + (values[mid] as number)) / 2;
}
