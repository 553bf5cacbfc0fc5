/** OTLP `Span.flags` bit 8: the writer says whether the parent was remote (bit 9). */
const HAS_IS_REMOTE = 0x100;
/** OTLP `Span.flags` bit 9: the parent was remote (read only beside bit 8). */
const IS_REMOTE = 0x200;

/** Whether an OTLP span's parent was remote, or undefined when its `flags` do not say (bit 8 clear). */
export function parentIsRemoteOf(flags: number): boolean | undefined {
  return (flags & HAS_IS_REMOTE) === 0 ? undefined : (flags & IS_REMOTE) !== 0;
}

/**
 * OTLP `flags` for a span: its trace flags in bits 0-7 and, when known, whether its parent was remote in
 * bits 8-9; undefined when it knows neither.
 */
export function otlpFlagsOf(traceFlags: number | undefined, parentIsRemote: boolean | undefined): number | undefined {
  if (parentIsRemote === undefined) return traceFlags;
  return (traceFlags ?? 0) | HAS_IS_REMOTE | (parentIsRemote ? IS_REMOTE : 0);
}

/**
 * The W3C trace flags (sampled, random) an OTLP span's `flags` field carries, or undefined when it carries
 * none. Bits 0-7 are the trace flags, but the Go and Python SDKs fill only bits 8-9 (whether the parent was
 * remote) and leave bits 0-7 zero on every span, sampled or not; the JS and Java SDKs write both. So a zero
 * low byte beside bit 8 says nothing about sampling, and reading it as "not sampled" would blame every hop
 * between a Go or Python service and a JS or Java one. (trace.proto: consumers should not rely on the
 * absence of a flag bit.) `lowByteWritten` says the span's resource names an SDK that writes bits 0-7
 * (writesLowByte): its zero low byte is read as it is.
 */
export function traceFlagsOf(flags: number, lowByteWritten = false): number | undefined {
  const trace = flags & 0xff;
  return trace === 0 && (flags & HAS_IS_REMOTE) !== 0 && !lowByteWritten ? undefined : trace;
}

/** `telemetry.sdk.language` of the SDKs that write the trace flags in bits 0-7 beside bits 8-9. */
const LOW_BYTE_WRITERS: ReadonlySet<string> = new Set(['java', 'nodejs', 'webjs']);

/**
 * Whether the SDK a resource names (its `telemetry.sdk.language`) writes the trace flags in bits 0-7, so that
 * a zero low byte beside bit 8 means "not sampled" (the Java SDK exporting unsampled spans writes 0x100 and
 * 0x300). Unknown or absent: false, and traceFlagsOf reads such flags as unknown.
 */
export function writesLowByte(language: unknown): boolean {
  return typeof language === 'string' && LOW_BYTE_WRITERS.has(language);
}
