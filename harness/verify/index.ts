/**
 * The verifier: checks over traces -> Problem[] (plus clock-skew warnings), and the tree renderer used by
 * the CLI and the Jest matchers. Knows nothing of Detox, msw or HTTP.
 */

// Verify
export { verifySpans } from './verify';
export { unsettledNote } from './internal/settle';

// Single checks
export { findOrphanSpans } from './orphan-spans';
export { findDuplicateSpanIds } from './duplicate-span-ids';
export { findCycles } from './cycles';
export { findWrongParents } from './wrong-parent';
export { findSamplingMismatches } from './sampling-mismatch';
export { findLostTraceStates } from './lost-tracestate';
export { checkExpectedChain, judgeChain } from './expected-chain';
export { foldDuplicateExports } from './duplicate-exports';
export { mergeEvidence } from './merge-evidence';
export { findClockSkew } from './clock-skew';

// Capture-log checks (header evidence from the mock backend)
// (the call-id header and hop causes they share with the mock backend are the model's: tracehop exports them)
export {
  checkCaptures,
  findCorsRefusals,
  appCallerOf,
  appClockOffsetMs,
  findDetachedRequests,
  findHeaderSpanMismatches,
  findHeaderWrongParents,
  findHopEvidence,
  findInvalidHeaders,
  findLeakedHeaders,
} from './capture';

// Problems
export { PROBLEM_KINDS, WARNING_KINDS, isProblemKind } from './problem';

// Rendering
export { renderTraceTree } from './render-tree';

// Journeys: one journey's share of a run and its verdict, for any runner
export { JOURNEY_ROOT_ATTRIBUTES, isJourneyRoot, journeyRoot, journeySlice, missingRootProblem } from './journey-slice';
export { renderJourneyVerdict, verifyJourney } from './verify-journey';

export type { ChainJudgement, JourneyChain, RunVerdict, UnsettledJourneys, Verdict, VerifyOptions } from './verify';
export type { ChainOptions, ChainProblem, ChainRun, ChainVerdict, FragmentClaims, TraceOwner } from './expected-chain';
export type { RenderOptions } from './render-tree';
export type { JourneySlice, SliceOptions } from './journey-slice';
export type { JourneyVerdict, RenderJourneyOptions, VerifyJourneyInput } from './verify-journey';
export type { CaptureCheckOptions, LeakOptions } from './capture';
export type {
  BrokenChainProblem,
  ClockSkewWarning,
  DuplicateExportWarning,
  CycleProblem,
  DuplicateSpanIdProblem,
  HeaderSpanMismatchProblem,
  InvalidHeaderProblem,
  LeakedHeaderProblem,
  MissingServiceProblem,
  OrphanSpanProblem,
  Problem,
  ProblemKind,
  SamplingMismatchProblem,
  Warning,
  WarningKind,
  WrongParentProblem,
} from './problem';
