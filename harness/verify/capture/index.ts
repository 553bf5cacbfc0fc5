// all capture-log checks
export { checkCaptures } from './check-captures';
// single checks
export { findLeakedHeaders } from './leaked-headers';
export { findInvalidHeaders } from './invalid-headers';
export { findHeaderSpanMismatches } from './header-span-mismatch';
export { findHeaderWrongParents } from './header-parents';
export { findHopEvidence } from './hop-evidence';
export { findCorsRefusals } from './cors-refusals';
export { appCallerOf, appClockOffsetMs } from './app-callers';
export { findDetachedRequests } from './detached-requests';
// causes, fixes and the call link shared with the mock backend (defined in the model; re-exported for users)
export {
  APP_HOP_CAUSES,
  APP_HOP_FIXES,
  CALL_ID_ATTRIBUTE,
  CALL_ID_HEADER,
  HOP_CAUSES,
  HOP_FIXES,
  withFix,
} from '../../model';

export type { CaptureCheckOptions } from './check-captures';
export type { LeakOptions } from './leaked-headers';
export type { AppHopCause, HopCause } from '../../model';
