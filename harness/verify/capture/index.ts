// all capture-log checks
export { checkCaptures } from './check-captures';
// single checks
export { findLeakedHeaders } from './leaked-headers';
export { findInvalidHeaders } from './invalid-headers';
export { findHeaderSpanMismatches } from './header-span-mismatch';
export { findHeaderWrongParents } from './header-parents';
export { findHopEvidence } from './hop-evidence';
// causes and the call link shared with the mock backend (defined in the model; re-exported for users)
export { CALL_ID_ATTRIBUTE, CALL_ID_HEADER, HOP_CAUSES } from '../../model';

export type { CaptureCheckOptions } from './check-captures';
export type { LeakOptions } from './leaked-headers';
export type { HopCause } from '../../model';
