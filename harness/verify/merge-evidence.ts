import type { Problem } from './problem';

/**
 * The span checks' and the capture log's problems together, without saying one break twice: a span
 * `broken-chain` (which can only guess why the next service started over) goes when a capture-log
 * `broken-chain` names the same hop with the cause it saw in the headers, and that cause's fix.
 * @example mergeEvidence(verifySpans(spans, { expect }).problems, checkCaptures(captures, spans))
 */
export function mergeEvidence(spanProblems: readonly Problem[], captureProblems: readonly Problem[]): Problem[] {
  const explained = new Set(
    captureProblems.flatMap((problem) =>
      problem.kind === 'broken-chain' ? [`${problem.lastService} -> ${problem.restartedService}`] : [],
    ),
  );
  const kept = spanProblems.filter(
    (problem) =>
      problem.kind !== 'broken-chain' || !explained.has(`${problem.lastService} -> ${problem.restartedService}`),
  );
  return [...kept, ...captureProblems];
}
