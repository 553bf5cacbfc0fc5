import type { Span } from './span';

/**
 * Whether the input gave the span a time: a span that starts and ends at 0 (the epoch) had none written, as
 * a Zipkin span with no timestamp and no annotations, and no piece of it with one, or an OTLP span with no
 * start time (0 or missing: its readers drop its end then, which alone places it nowhere). Such a span keeps
 * its place in its trace, but nothing is judged by its times: no callee clock is read off it and no new trace
 * is tied to a run by its timing.
 */
export function hasTime(span: Span): boolean {
  return span.startTimeMs !== 0 || span.endTimeMs !== 0;
}
