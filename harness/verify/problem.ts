import type { SpanId, TraceId } from '../model';

/**
 * The words for defects (docs/ARCHITECTURE.md "Defect words"). Every verdict names one or more of these kinds;
 * tests, docs, CLI output and reports use exactly these strings.
 */
export const PROBLEM_KINDS = [
  'broken-chain',
  'orphan-span',
  'wrong-parent',
  'duplicate-span-id',
  'cycle',
  'missing-service',
  'header-span-mismatch',
  'invalid-header',
  'leaked-header',
  'sampling-mismatch',
] as const;

/** A defect word: one of {@link PROBLEM_KINDS}. */
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

/** Fields every problem carries. `message` is one plain sentence a mobile engineer can act on. */
interface ProblemBase {
  readonly traceId: TraceId | null;
  readonly spanId: SpanId | null;
  readonly service: string | null;
  readonly message: string;
}

/** `broken-chain`: an expected chain of services is split across traces. */
export interface BrokenChainProblem extends ProblemBase {
  readonly kind: 'broken-chain';
  /** Last service of the expected chain reached within the caller's trace. */
  readonly lastService: string;
  /** The service that started a new trace instead of continuing it. */
  readonly restartedService: string;
  /** Trace and span of `lastService` where the chain stopped, so renderers can draw the caller's side too. */
  readonly lastTraceId?: TraceId;
  readonly lastSpanId?: SpanId;
}

/** `orphan-span`: a span's parent span id is not in its trace. */
export interface OrphanSpanProblem extends ProblemBase {
  readonly kind: 'orphan-span';
  readonly missingParentSpanId: SpanId;
}

/**
 * `wrong-parent`: a span is not parented to its caller's CLIENT (or PRODUCER) span, or to the parent its header
 * named.
 */
export interface WrongParentProblem extends ProblemBase {
  readonly kind: 'wrong-parent';
  /** The span it should have been parented to (the caller's CLIENT/PRODUCER span or the header's parent id). */
  readonly expectedParentSpanId: SpanId | null;
  readonly actualParentSpanId: SpanId | null;
}

/** `duplicate-span-id`: spans of one trace share a span id. */
export interface DuplicateSpanIdProblem extends ProblemBase {
  readonly kind: 'duplicate-span-id';
  readonly count: number;
}

/** `cycle`: parent links loop. */
export interface CycleProblem extends ProblemBase {
  readonly kind: 'cycle';
  /** Span ids on the loop, in parent-link order. */
  readonly loop: readonly SpanId[];
}

/** `missing-service`: an expected service has no span in the trace. */
export interface MissingServiceProblem extends ProblemBase {
  readonly kind: 'missing-service';
  readonly missingService: string;
}

/**
 * A received header that names a trace or parent span the caller never exported, or context the caller held
 * that did not arrive: seen in the capture log, or (tracestate) from spans alone, where the caller's call span
 * carries a trace state and the callee's SERVER span none (lost-tracestate.ts).
 */
export interface HeaderSpanMismatchProblem extends ProblemBase {
  readonly kind: 'header-span-mismatch';
  readonly header: string;
  /** What arrived: '' when the header did not. */
  readonly headerValue: string;
}

/**
 * `invalid-header`: a hop received a header that breaks its spec; from spans alone, the callee's SERVER span has no
 * trace state and the caller's CLIENT span one that is not valid tracestate or has a key only Level 2 accepts.
 */
export interface InvalidHeaderProblem extends ProblemBase {
  readonly kind: 'invalid-header';
  readonly header: string;
  readonly headerValue: string;
  /**
   * The codec's reason, e.g. "uppercase-hex", "version-ff", "duplicate-header"; or "level2-key" for a
   * tracestate whose keys Level 2 accepts and Level 1 (OpenTelemetry Go and JS) does not.
   */
  readonly reason: string;
}

/** `leaked-header`: trace headers reached a host outside the first-party list. */
export interface LeakedHeaderProblem extends ProblemBase {
  readonly kind: 'leaked-header';
  readonly header: string;
  /** The host (service name or host name) outside the first-party list that received it. */
  readonly host: string;
}

/** `sampling-mismatch`: the sampled flag changes between hops of one trace. */
export interface SamplingMismatchProblem extends ProblemBase {
  readonly kind: 'sampling-mismatch';
  readonly parentSampled: boolean;
  readonly childSampled: boolean;
}

/** A defect found by a check: a discriminated union on `kind`. */
export type Problem =
  | BrokenChainProblem
  | OrphanSpanProblem
  | WrongParentProblem
  | DuplicateSpanIdProblem
  | CycleProblem
  | MissingServiceProblem
  | HeaderSpanMismatchProblem
  | InvalidHeaderProblem
  | LeakedHeaderProblem
  | SamplingMismatchProblem;

/** Kinds of warnings: worth saying, never a defect. */
export const WARNING_KINDS = ['clock-skew', 'duplicate-export'] as const;

/** A warning word: one of {@link WARNING_KINDS}. */
export type WarningKind = (typeof WARNING_KINDS)[number];

/** Clock skew between device and servers: a child starts before its parent or ends after it. */
export interface ClockSkewWarning {
  readonly kind: 'clock-skew';
  readonly traceId: TraceId;
  readonly spanId: SpanId;
  readonly service: string;
  /** How far the child starts before its parent, or ends after it, in milliseconds. */
  readonly skewMs: number;
  readonly message: string;
}

/**
 * A span exported more than once, identical in every field tracehop reads: counted once (OTLP retries allow
 * duplicates).
 */
export interface DuplicateExportWarning {
  readonly kind: 'duplicate-export';
  readonly traceId: TraceId;
  readonly spanId: SpanId;
  readonly service: string;
  /** How many identical copies the input held. */
  readonly count: number;
  readonly message: string;
}

/** Something worth saying that is never a defect. */
export type Warning = ClockSkewWarning | DuplicateExportWarning;

/** Narrows a problem to one kind. */
export function isProblemKind<K extends ProblemKind>(
  problem: Problem,
  kind: K,
): problem is Extract<Problem, { kind: K }> {
  return problem.kind === kind;
}
