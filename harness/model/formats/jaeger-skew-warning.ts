/**
 * Jaeger's query service, with `--query.max-clock-skew-adjustment` set (v1; `max_clock_skew_adjust` in v2),
 * moves a span that starts outside its parent on another host into it, and says so in the span's
 * `warnings`: "This span's timestamps were adjusted by -2.000311s" (Go's Duration text). It can move only
 * spans whose parent is in the trace: a new trace a callee started (a lost traceparent) keeps the callee's
 * clock while its other spans get the caller's, so the runs that kept their trace hide the skew that the
 * fragments still show, and fragments were tied by timing that no longer fits. The times are read as the
 * services recorded them: the adjustment undone.
 */

const ADJUSTED = /^This span's timestamps were adjusted by (-?(?:\d+(?:\.\d+)?(?:h|m|s|ms|us|µs|μs|ns))+)$/;
const PART = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|μs|ns)/g;
const NS_PER: Readonly<Record<string, number>> = {
  h: 3_600_000_000_000,
  m: 60_000_000_000,
  s: 1_000_000_000,
  ms: 1_000_000,
  us: 1000,
  µs: 1000,
  μs: 1000,
  ns: 1,
};

/** Milliseconds of a Go Duration's text ("-2.000311s", "1m0.5s", "350µs"), summed in whole nanoseconds. */
function goDurationMs(text: string): number {
  let ns = 0;
  for (const [, amount, unit] of text.matchAll(PART)) ns += Math.round(Number(amount) * (NS_PER[unit ?? ''] ?? 0));
  return (text.startsWith('-') ? -ns : ns) / 1_000_000;
}

/**
 * How far (ms) Jaeger's clock skew adjuster moved a span, from its `warnings`; 0 when it did not. Jaeger v1
 * moves the whole span (its duration is kept); v2 moves only the start, so there the span's end reads that
 * much off once the start is put back.
 */
export function skewAdjustmentMs(warnings: unknown): number {
  if (!Array.isArray(warnings)) return 0;
  for (const warning of warnings) {
    const match = typeof warning === 'string' ? ADJUSTED.exec(warning) : null;
    if (match?.[1] !== undefined) return goDurationMs(match[1]);
  }
  return 0;
}
