/**
 * wrong-parent for a forwarded traceparent (findForwarded / forwardedFrom): a callee hanging under its caller's
 * caller's call span beside the hop that should have called it. Siblings under one call are legitimate when a
 * message fans out to several consumers or a request is mirrored: those must pass, while the real forwarded
 * traceparent (by route, or by timing with nothing saying the call went elsewhere) is still named.
 */
import type { Attributes, Span } from '../model';
import { spanWith as span } from '../model/test-support/make-span';
import { verifySpans } from './verify';

function verdict(spans: Span[], expect?: string[]): string[] {
  return verifySpans(spans, expect ? { expect } : {}).problems.map(
    (p) => `${p.kind} ${p.service} ${p.spanId?.replace(/0+$/, '') ?? '-'}: ${p.message}`,
  );
}

const kafka = (operation: string, destination: string): Attributes => ({
  'messaging.system': 'kafka',
  'messaging.operation.type': operation,
  'messaging.destination.name': destination,
});

/** mobile-app -> api-gateway -> payment-api, which publishes "payments" (e1) at 50-60 ms. */
const upToPublish = (): Span[] => [
  span('a1', undefined, 'mobile-app', 'checkout', 'internal', 0, 300),
  span('a2', 'a1', 'mobile-app', 'POST', 'client', 10, 200, { 'url.full': 'https://api.example.com/checkout' }),
  span('b1', 'a2', 'api-gateway', 'POST /checkout', 'server', 20, 190, { 'http.route': '/checkout' }),
  span('b2', 'b1', 'api-gateway', 'POST', 'client', 30, 180, { 'url.full': 'http://payment-api/payments' }),
  span('c1', 'b2', 'payment-api', 'POST /payments', 'server', 40, 170, { 'http.route': '/payments' }),
  span('e1', 'c1', 'payment-api', 'publish payments', 'producer', 50, 60, kafka('publish', 'payments')),
];

/** Two consumers of "payments": notification-service (n1, 65-120 ms) and fraud-service (f1, from 70 ms). */
const fanOut = (notificationCall: Span): Span[] => [
  ...upToPublish(),
  span('d1', 'e1', 'notification-service', 'process payments', 'consumer', 65, 120, kafka('process', 'payments')),
  notificationCall,
  span('f1', 'e1', 'fraud-service', 'process payments', 'consumer', 70, 130, kafka('process', 'payments')),
  span('f2', 'f1', 'fraud-service', 'SELECT rules', 'client', 71, 90, { 'db.system': 'postgresql' }),
];

const FRAUD_CHAIN = ['mobile-app', 'api-gateway', 'payment-api', 'fraud-service'];

describe('forwarded traceparent: a message fanned out to several consumers', () => {
  it('passes when one consumer is still querying its database as the other starts', () => {
    const insert = span('d2', 'd1', 'notification-service', 'INSERT notifications', 'client', 66, 100, {
      'db.system': 'postgresql',
      'db.system.name': 'postgresql',
    });
    expect(verdict(fanOut(insert), FRAUD_CHAIN)).toEqual([]);
  });

  it('passes when one consumer is still publishing, its message saying nothing of where it went', () => {
    // Only timing ties the publish to fraud-service's consumer: a message's consumers overlap by design.
    const publish = span('d2', 'd1', 'notification-service', 'send', 'producer', 66, 100);
    expect(verdict(fanOut(publish), FRAUD_CHAIN)).toEqual([]);
  });

  it("passes when one consumer settles the message: its CLIENT span names the topic, but a CLIENT makes no consumer's span", () => {
    const ack = span(
      'd2',
      'd1',
      'notification-service',
      'ack payments',
      'client',
      66,
      100,
      kafka('settle', 'payments'),
    );
    expect(verdict(fanOut(ack), FRAUD_CHAIN)).toEqual([]);
  });

  it("names a consumer that published with the context it received, by the message's destination", () => {
    // notification-service published "notifications" under the traceparent it received from payment-api's message.
    const spans = [
      ...upToPublish(),
      span('d1', 'e1', 'notification-service', 'process payments', 'consumer', 65, 120, kafka('process', 'payments')),
      span(
        'd2',
        'd1',
        'notification-service',
        'publish notifications',
        'producer',
        66,
        68,
        kafka('publish', 'notifications'),
      ),
      span('9a', 'e1', 'mailer', 'process notifications', 'consumer', 80, 90, kafka('process', 'notifications')),
    ];
    expect(verdict(spans)).toEqual([
      'wrong-parent mailer 9a: mailer "process notifications" (9a000000) is parented to payment-api\'s PRODUCER span "publish payments" (e1000000) instead of notification-service\'s PRODUCER span "publish notifications" (d2000000) on the hop notification-service -> mailer: notification-service forwarded the traceparent it received instead of injecting its own client span (inject from the CLIENT span\'s context, after starting it)',
    ]);
  });
});

/** api-gateway's call (b2) answered by payment-api (c1, 40 ms) and, mirrored, by payment-api-shadow (c5, 35 ms). */
const mirrored = (shadowCall: Span, primary: Partial<Span> = {}): Span[] => [
  ...upToPublish().slice(0, 4),
  {
    ...span('c1', 'b2', 'payment-api', 'POST /payments', 'server', 40, 170, { 'http.route': '/payments' }),
    ...primary,
  },
  span('c5', 'b2', 'payment-api-shadow', 'POST /payments', 'server', 35, 175, { 'http.route': '/payments' }),
  shadowCall,
];

const PAYMENT_CHAIN = ['mobile-app', 'api-gateway', 'payment-api'];

describe('forwarded traceparent: a mirrored request answered by two services', () => {
  it.each<[string, Attributes]>([
    ['a URL on another route', { 'url.full': 'http://rates-api/rates' }],
    ['a peer.service naming another service', { 'peer.service': 'rates-api' }],
    ['a database system', { 'db.system.name': 'redis' }],
  ])('passes when the shadow has a call running with %s as the primary starts', (_, attributes) => {
    const call = span('c6', 'c5', 'payment-api-shadow', 'GET', 'client', 38, 60, attributes);
    expect(verdict(mirrored(call), PAYMENT_CHAIN)).toEqual([]);
  });

  it('passes when the shadow called another host than the one the primary was addressed as', () => {
    const call = span('c6', 'c5', 'payment-api-shadow', 'GET', 'client', 38, 60, { 'server.address': 'rates-api' });
    const primary = { attributes: { 'http.route': '/payments', 'server.address': 'payment-api.default.svc' } };
    expect(verdict(mirrored(call, primary), PAYMENT_CHAIN)).toEqual([]);
  });

  it('still names the hop when the call running as the callee started may be its own (its URL holds an id)', () => {
    // The forwarded case told by timing: the CLIENT span says only "POST" and a concrete path of the route.
    const call = span('c6', 'c5', 'payment-api-shadow', 'POST', 'client', 38, 60, {
      'url.full': 'http://payment-api.default.svc/payments/42',
      'server.address': 'payment-api',
    });
    const primary = {
      name: 'POST /payments/{id}',
      attributes: { 'http.route': '/payments/{id}', 'server.address': 'payment-api.default.svc.cluster.local' },
    };
    expect(verdict(mirrored(call, primary), PAYMENT_CHAIN)).toEqual([
      'wrong-parent payment-api c1: payment-api "POST /payments/{id}" (c1000000) is parented to api-gateway\'s CLIENT span "POST" (b2000000) instead of payment-api-shadow\'s CLIENT span "POST" (c6000000) on the hop payment-api-shadow -> payment-api: payment-api-shadow forwarded the traceparent it received instead of injecting its own client span (inject from the CLIENT span\'s context, after starting it)',
    ]);
  });

  it('ties no callee to a call by a time neither has (both with no time: start and end 0)', () => {
    // As below, but neither span has a time (a Zipkin span with no timestamp): a start of 0 is "during" no call.
    const call = span('c6', 'c5', 'payment-api-shadow', 'HTTP POST', 'client', 0, 0);
    expect(verdict(mirrored(call, { startTimeMs: 0, endTimeMs: 0 }))).toEqual([]);
  });

  it('still names the hop when the call says nothing of where it went', () => {
    const call = span('c6', 'c5', 'payment-api-shadow', 'HTTP POST', 'client', 38, 60);
    expect(verdict(mirrored(call))).toEqual([
      'wrong-parent payment-api c1: payment-api "POST /payments" (c1000000) is parented to api-gateway\'s CLIENT span "POST" (b2000000) instead of payment-api-shadow\'s CLIENT span "HTTP POST" (c6000000) on the hop payment-api-shadow -> payment-api: payment-api-shadow forwarded the traceparent it received instead of injecting its own client span (inject from the CLIENT span\'s context, after starting it)',
    ]);
  });
});
