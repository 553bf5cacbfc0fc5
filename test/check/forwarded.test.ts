/**
 * `tracehop check` on siblings under one call span that are legitimate, not a forwarded traceparent: a message
 * fanned out to two consumers, one of which is still writing to its database as the other starts, and a
 * mirrored request whose shadow is still calling another service as the primary starts.
 */
import { encodeOtlpJson, type Attributes, type Span } from '../../harness/model';
import { spanWith as span } from '../../harness/model/test-support/make-span';
import { CHAIN, runCli, tempFiles } from './support';

const kafka = (operation: string): Attributes => ({
  'messaging.system': 'kafka',
  'messaging.operation.type': operation,
  'messaging.destination.name': 'payments',
});

const toPayments = (): Span[] => [
  span('a1', undefined, 'mobile-app', 'checkout', 'internal', 1, 300),
  span('a2', 'a1', 'mobile-app', 'POST', 'client', 10, 200, { 'url.full': 'https://api.example.com/checkout' }),
  span('b1', 'a2', 'api-gateway', 'POST /checkout', 'server', 20, 190, { 'http.route': '/checkout' }),
  span('b2', 'b1', 'api-gateway', 'POST', 'client', 30, 180, { 'url.full': 'http://payment-api/payments' }),
];

async function check(spans: Span[], chain: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const dir = tempFiles({ 'dump.json': JSON.stringify(encodeOtlpJson(spans)) });
  return runCli(['check', `--expect=${chain}`, 'dump.json'], dir);
}

describe('tracehop check passes siblings that no forwarded traceparent put there', () => {
  it('passes a message fanned out to two consumers while one still writes to its database (no wrong-parent)', async () => {
    const spans = [
      ...toPayments(),
      span('c1', 'b2', 'payment-api', 'POST /payments', 'server', 40, 170, { 'http.route': '/payments' }),
      span('e1', 'c1', 'payment-api', 'publish payments', 'producer', 50, 60, kafka('publish')),
      span('d1', 'e1', 'notification-service', 'process payments', 'consumer', 65, 120, kafka('process')),
      span('d2', 'd1', 'notification-service', 'INSERT notifications', 'client', 66, 100, {
        'db.system': 'postgresql',
      }),
      span('f1', 'e1', 'fraud-service', 'process payments', 'consumer', 70, 130, kafka('process')),
      span('f2', 'f1', 'fraud-service', 'SELECT rules', 'client', 71, 90, { 'db.system': 'postgresql' }),
    ];
    expect(await check(spans, CHAIN)).toEqual({
      code: 0,
      stdout:
        '[tracehop] OK: 1 trace, 10 spans, no problems; mobile-app -> api-gateway -> payment-api -> fraud-service run in one trace.\n',
      stderr: '',
    });
  });

  it('passes a mirrored request while the shadow still calls another service (no wrong-parent)', async () => {
    const spans = [
      ...toPayments(),
      span('c1', 'b2', 'payment-api', 'POST /payments', 'server', 40, 170, { 'http.route': '/payments' }),
      span('c5', 'b2', 'payment-api-shadow', 'POST /payments', 'server', 35, 175, { 'http.route': '/payments' }),
      span('c6', 'c5', 'payment-api-shadow', 'GET', 'client', 38, 60, { 'url.full': 'http://rates-api/rates' }),
    ];
    expect(await check(spans, 'mobile-app,api-gateway,payment-api')).toEqual({
      code: 0,
      stdout:
        '[tracehop] OK: 1 trace, 7 spans, no problems; mobile-app -> api-gateway -> payment-api run in one trace.\n',
      stderr: '',
    });
  });
});
