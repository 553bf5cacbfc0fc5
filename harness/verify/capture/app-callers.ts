import { CALL_ID_HEADER, type CapturedRequest, type Span } from '../../model';
import { appClients, deviceClockOffsetMs, urlCaller } from './internal/links';
import { headerValues } from '../../propagation';

/**
 * The app's CLIENT span that made a request the backend captured, found without any trace header: the app
 * sends no call id, so the span that called this method and path while the request arrived is its caller
 * (for a CORS preflight, the span whose request the preflight asked about). Undefined for a mock-backend
 * service's calls (they carry a call id) and for requests no exported span explains.
 * @example appCallerOf(backend.captures()[0], backend.store.spans())
 */
export function appCallerOf(capture: CapturedRequest, spans: readonly Span[], offsetMs = 0): Span | undefined {
  if (headerValues(capture.headers, CALL_ID_HEADER).length > 0) return undefined;
  return urlCaller(capture, appClients(spans), offsetMs);
}

/**
 * How far (ms) the app's clock runs behind the backend's (negative: ahead), from the captured requests and
 * the app's CLIENT spans; 0 when nothing ties them. See deviceClockOffsetMs.
 */
export function appClockOffsetMs(captures: readonly CapturedRequest[], spans: readonly Span[]): number {
  return deviceClockOffsetMs(captures, appClients(spans));
}
