import { CALL_ID_ATTRIBUTE, CALL_ID_HEADER, type CapturedRequest, type Span } from '../../model';
import { urlCaller } from './internal/links';
import { headerValues } from '../../propagation';

/**
 * The app's CLIENT span that made a request the backend captured, found without any trace header: the app
 * sends no call id, so the span that called this method and path while the request arrived is its caller
 * (for a CORS preflight, the span whose request the preflight asked about). Undefined for a mock-backend
 * service's calls (they carry a call id) and for requests no exported span explains.
 * @example appCallerOf(backend.captures()[0], backend.store.spans())
 */
export function appCallerOf(capture: CapturedRequest, spans: readonly Span[]): Span | undefined {
  if (headerValues(capture.headers, CALL_ID_HEADER).length > 0) return undefined;
  return urlCaller(
    capture,
    spans.filter((span) => span.kind === 'client' && span.attributes[CALL_ID_ATTRIBUTE] === undefined),
  );
}
