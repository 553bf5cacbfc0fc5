import { groupTraces, type Span, type Trace } from '../model';
import { findClockSkew } from './clock-skew';
import { findCycles } from './cycles';
import { findDuplicateSpanIds } from './duplicate-span-ids';
import { checkExpectedChain } from './expected-chain';
import { findOrphanSpans } from './orphan-spans';
import type { Problem, Warning } from './problem';
import { findSamplingMismatches } from './sampling-mismatch';
import { findWrongParents } from './wrong-parent';

export interface VerifyOptions {
  /** Services one trace must run through, in order, each beneath the previous (e.g. mobile-app, api-gateway). */
  readonly expect?: readonly string[];
}

export interface Verdict {
  readonly traces: Trace[];
  /** Defects, trace by trace (structural checks first), then the expected-chain verdicts. */
  readonly problems: Problem[];
  /** Never defects: clock skew between device and servers. */
  readonly warnings: Warning[];
}

/**
 * Groups spans into traces and runs every check: orphans, duplicate ids, loops, wrong parents, sampling
 * changes, the expected chain, and clock-skew warnings.
 * @example verifySpans(spans, { expect: ['mobile-app', 'api-gateway', 'payment-api'] }).problems
 */
export function verifySpans(spans: readonly Span[], options: VerifyOptions = {}): Verdict {
  const traces = groupTraces(spans);
  const problems: Problem[] = [];
  const warnings: Warning[] = [];
  for (const trace of traces) {
    for (const check of STRUCTURAL_CHECKS) append(problems, check(trace));
    append(warnings, findClockSkew(trace));
  }
  if (options.expect && options.expect.length > 0) append(problems, checkExpectedChain(traces, options.expect));
  return { traces, problems, warnings };
}

const STRUCTURAL_CHECKS: ReadonlyArray<(trace: Trace) => Problem[]> = [
  findOrphanSpans,
  findDuplicateSpanIds,
  findCycles,
  findWrongParents,
  findSamplingMismatches,
];

// push(...items) overflows the argument limit on very large arrays.
function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
