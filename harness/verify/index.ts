/**
 * The verifier: checks over traces -> Problem[] (plus clock-skew warnings), and the tree renderer used by
 * the CLI and the Jest matchers. Knows nothing of Detox, msw or HTTP.
 */

// Verify
export { verifySpans } from './verify';

// Single checks
export { findOrphanSpans } from './orphan-spans';
export { findDuplicateSpanIds } from './duplicate-span-ids';
export { findCycles } from './cycles';
export { findWrongParents } from './wrong-parent';
export { findSamplingMismatches } from './sampling-mismatch';
export { checkExpectedChain } from './expected-chain';
export { mergeEvidence } from './merge-evidence';
export { findClockSkew } from './clock-skew';

// Capture-log checks (header evidence from the mock backend)
export {
  CALL_ID_ATTRIBUTE,
  CALL_ID_HEADER,
  APP_HOP_CAUSES,
  HOP_CAUSES,
  HOP_FIXES,
  APP_HOP_FIXES,
  checkCaptures,
  findCorsRefusals,
  appCallerOf,
  findDetachedRequests,
  findHeaderSpanMismatches,
  findHeaderWrongParents,
  findHopEvidence,
  findInvalidHeaders,
  findLeakedHeaders,
} from './capture';

// Problems
export { PROBLEM_KINDS, isProblemKind } from './problem';

// Rendering
export { renderTraceTree } from './render-tree';

// Journeys: one journey's share of a run and its verdict, for any runner
export { JOURNEY_ROOT_ATTRIBUTES, isJourneyRoot, journeyRoot, journeySlice } from './journey-slice';
export { renderJourneyVerdict, verifyJourney } from './verify-journey';

export type { Verdict, VerifyOptions } from './verify';
export type { RenderOptions } from './render-tree';
export type { JourneySlice, SliceOptions } from './journey-slice';
export type { JourneyVerdict, RenderJourneyOptions, VerifyJourneyInput } from './verify-journey';
export type { AppHopCause, CaptureCheckOptions, HopCause, LeakOptions } from './capture';
export type {
  BrokenChainProblem,
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
  WrongParentProblem,
} from './problem';
