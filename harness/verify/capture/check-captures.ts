import type { CapturedRequest, Span } from '../../model';
import type { Problem } from '../problem';
import { findHeaderWrongParents } from './header-parents';
import { findHeaderSpanMismatches } from './header-span-mismatch';
import { findCorsRefusals } from './cors-refusals';
import { findHopEvidence } from './hop-evidence';
import { findInvalidHeaders } from './invalid-headers';
import { findLeakedHeaders, type LeakOptions } from './leaked-headers';
import { withSharedViews } from './internal/links';

/** Options of {@link checkCaptures}. */
export type CaptureCheckOptions = LeakOptions;

/**
 * Runs every capture-log check: leaked and invalid headers, headers that do not match exported spans,
 * SERVER spans not parented to their header, hops whose header was dropped or unsampled, and CORS
 * preflights that made the browser refuse a request.
 * Pure: no HTTP, no clock.
 * @example checkCaptures(backend.captures(), backend.store.spans())
 */
export function checkCaptures(
  captures: readonly CapturedRequest[],
  spans: readonly Span[],
  options: CaptureCheckOptions = {},
): Problem[] {
  return withSharedViews(captures, spans, () => [
    ...findLeakedHeaders(captures, options),
    ...findInvalidHeaders(captures, spans),
    ...findHeaderSpanMismatches(captures, spans),
    ...findHeaderWrongParents(captures, spans),
    ...findHopEvidence(captures, spans),
    ...findCorsRefusals(captures, spans),
  ]);
}
