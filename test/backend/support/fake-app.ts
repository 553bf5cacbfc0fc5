import { randomBytes } from 'node:crypto';
import { asSpanId, asTraceId, encodeOtlpJson, type Span } from '../../../harness/model';
import type { Backend } from '../../../harness/backend';

/** What a fake mobile app did: its CLIENT span and the gateway's answer. */
export interface CheckoutRun {
  readonly appSpan: Span;
  readonly status: number;
}

/**
 * Plays the mobile app without an SDK: one CLIENT span for POST /checkout, its traceparent injected, the
 * span exported to the backend's OTLP receiver once the answer arrived.
 */
export async function fakeAppCheckout(
  backend: Backend,
  extraHeaders: Record<string, string> = {},
): Promise<CheckoutRun> {
  const traceId = asTraceId(randomBytes(16).toString('hex'));
  const spanId = asSpanId(randomBytes(8).toString('hex'));
  const start = Date.now();
  const response = await fetch(`${backend.urls.services['api-gateway']}/checkout`, {
    method: 'POST',
    headers: { traceparent: `00-${traceId}-${spanId}-01`, 'content-type': 'application/json', ...extraHeaders },
    body: '{}',
  });
  await response.text();
  const appSpan: Span = {
    traceId,
    spanId,
    name: 'POST /checkout',
    kind: 'client',
    service: 'mobile-app',
    startTimeMs: start,
    endTimeMs: Date.now(),
    attributes: {},
    traceFlags: 1,
  };
  const exported = await fetch(backend.urls.otlp, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(encodeOtlpJson([appSpan])),
  });
  await exported.text();
  return { appSpan, status: response.status };
}
