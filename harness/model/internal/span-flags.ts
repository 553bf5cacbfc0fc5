/** OTLP `Span.flags` bit 8: the writer says whether the parent was remote (bit 9). */
const HAS_IS_REMOTE = 0x100;

/**
 * The W3C trace flags (sampled, random) an OTLP span's `flags` field carries, or undefined when it carries
 * none. Bits 0-7 are the trace flags, but the Go and Python SDKs fill only bits 8-9 (whether the parent was
 * remote) and leave bits 0-7 zero on every span, sampled or not; the JS and Java SDKs write both. So a zero
 * low byte beside bit 8 says nothing about sampling, and reading it as "not sampled" would blame every hop
 * between a Go or Python service and a JS or Java one. (trace.proto: consumers should not rely on the
 * absence of a flag bit.)
 */
export function traceFlagsOf(flags: number): number | undefined {
  const trace = flags & 0xff;
  return trace === 0 && (flags & HAS_IS_REMOTE) !== 0 ? undefined : trace;
}
