import type { Problem } from './problem';

/**
 * The span checks' and the capture log's problems together, without saying one break twice: a span
 * `broken-chain` (which can only guess why the next service started over) goes when a capture-log
 * `broken-chain` names the same hop with the cause it saw in the headers, and that cause's fix; a span
 * `missing-service` goes when a capture-log `broken-chain` says why that service never got the request (a
 * CORS preflight that made the browser refuse it). Given the journey's `chain`, so do the missing services
 * behind it: nothing could reach them. An `orphan-span` goes when a capture-log `sampling-mismatch` says its
 * parent was a call span the caller's sampler dropped. A span `header-span-mismatch` for a lost tracestate goes
 * when the capture log names the same call with the same header (both anchor on the caller's call span).
 * @example mergeEvidence(verifySpans(spans, { expect }).problems, checkCaptures(captures, spans), expect)
 */
export function mergeEvidence(
  spanProblems: readonly Problem[],
  captureProblems: readonly Problem[],
  chain: readonly string[] = [],
): Problem[] {
  const breaks = captureProblems.flatMap((problem) => (problem.kind === 'broken-chain' ? [problem] : []));
  const explained = new Set(breaks.map((problem) => `${problem.lastService} -> ${problem.restartedService}`));
  const reasoned = new Set(breaks.map((problem) => problem.restartedService));
  // Only a service that got nothing makes those behind it unreachable (one that restarted the trace did not).
  const missing = new Set(
    spanProblems.flatMap((problem) => (problem.kind === 'missing-service' ? [problem.missingService] : [])),
  );
  // Spans a caller's sampler dropped (a capture-log sampling-mismatch names each by the id it was sent as):
  // the orphans beneath them are that problem, not a second one.
  const dropped = new Set(
    captureProblems.flatMap((problem) =>
      problem.kind === 'sampling-mismatch' ? [`${problem.traceId} ${problem.spanId}`] : [],
    ),
  );
  // Header evidence for a call: the span check's guess at a lost header says the same thing once more.
  const headerSeen = new Set(
    captureProblems.flatMap((problem) =>
      problem.kind === 'header-span-mismatch' ? [`${problem.traceId} ${problem.spanId} ${problem.header}`] : [],
    ),
  );
  const firstRefused = chain.findIndex((service) => reasoned.has(service) && missing.has(service));
  const unreachable = new Set(firstRefused === -1 ? [] : chain.slice(firstRefused + 1));
  const kept = spanProblems.filter((problem) => {
    if (problem.kind === 'broken-chain') return !explained.has(`${problem.lastService} -> ${problem.restartedService}`);
    if (problem.kind === 'orphan-span') return !dropped.has(`${problem.traceId} ${problem.missingParentSpanId}`);
    if (problem.kind === 'header-span-mismatch') {
      return !headerSeen.has(`${problem.traceId} ${problem.spanId} ${problem.header}`);
    }
    if (problem.kind === 'missing-service') {
      return !reasoned.has(problem.missingService) && !unreachable.has(problem.missingService);
    }
    return true;
  });
  return [...kept, ...captureProblems];
}
