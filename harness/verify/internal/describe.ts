import { shortId, type Span, type SpanKind } from '../../model';
import { quotedText } from '../../internal/terminal-text';

/** `payment-api "POST /payments" (3a4b5c6d)`: how messages name a span. */
export function describeSpan(span: Span): string {
  return `${span.service} ${describeSpanName(span)}`;
}

/** `"POST /payments" (3a4b5c6d)`: a span named without its service. */
export function describeSpanName(span: Span): string {
  return `${quotedText(span.name)} (${shortId(span.spanId)})`;
}

/** `SERVER` for 'server': kinds as OpenTelemetry docs write them. */
export function kindWord(kind: SpanKind): string {
  return kind.toUpperCase();
}

/** The fix for a service that injected the context of a span other than its outgoing call's. */
export const INJECT_CALL_SPAN_FIX = "(inject from the CLIENT span's context, after starting it)";

/** `5 minutes`, `2.5 seconds`, `40 ms`: a rough human duration. */
export function roughDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs >= 60_000) return `${round1(abs / 60_000)} minutes`;
  if (abs >= 1000) return `${round1(abs / 1000)} seconds`;
  return `${round1(abs)} ms`;
}

function round1(value: number): string {
  return String(Math.round(value * 10) / 10);
}
