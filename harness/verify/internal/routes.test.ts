import { makeSpan } from '../../model/test-support/make-span';
import type { AttributeValue } from '../../model';
import { callKeys, fragmentKeys, responseStatus, routeKeys, sameRoute } from './routes';

describe('responseStatus', () => {
  const status = (attributes: Record<string, AttributeValue>): number | undefined =>
    responseStatus({ ...makeSpan({ id: 'a' }), attributes });

  it('reads the current attribute before the older one, as a number or a three-digit string', () => {
    expect([
      status({ 'http.response.status_code': 200, 'http.status_code': 500 }),
      status({ 'http.status_code': 503 }),
      status({ 'http.status_code': '404' }),
    ]).toEqual([200, 503, 404]);
  });

  it("reads Micrometer's status tag beside the tags its HTTP observations write with it, and only there", () => {
    expect([
      status({ status: '500', outcome: 'SERVER_ERROR' }),
      status({ status: 201, outcome: 'SUCCESS' }),
      // Feign's observation: method and uri, no outcome.
      status({ status: '503', method: 'POST', uri: '/payments' }),
      status({ status: 'IO_ERROR', outcome: 'UNKNOWN' }),
      // Someone else's field: a payment's status, or an outcome of the application's.
      status({ status: '200' }),
      status({ status: '200', outcome: 'approved' }),
      status({ status: '200', method: 'POST' }),
    ]).toEqual([500, 201, 503, undefined, undefined, undefined, undefined]);
  });

  it('says nothing for no status, or one that is no HTTP status', () => {
    expect([
      status({}),
      status({ 'http.status_code': '200 OK' }),
      status({ 'http.status_code': 99 }),
      status({ 'http.status_code': 600 }),
      status({ 'http.status_code': 200.5 }),
      status({ 'http.status_code': true }),
    ]).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('routeKeys', () => {
  const named = (name: string, attributes: Record<string, AttributeValue> = {}) => ({
    ...makeSpan({ id: 'a', name }),
    attributes,
  });

  it('reads the path of aiozipkin\'s client span names ("client POST /payments"), which carry no tags', () => {
    const client = named('client POST /payments');
    const server = named('POST /payments', { 'http.path': '/payments', 'http.route': '/payments' });
    expect([routeKeys(client), sameRoute(client, server)]).toEqual([['client POST /payments', '/payments'], true]);
  });
});

describe('callKeys and fragmentKeys', () => {
  const call = (name: string, attributes: Record<string, AttributeValue>) => ({
    ...makeSpan({ id: 'a', name, kind: 'client', service: 'api-gateway' }),
    attributes,
  });
  const server = { ...makeSpan({ id: 'b', name: 'POST', kind: 'server', service: 'payment-api' }), attributes: {} };

  it("gives a call its code named, with no path, its callee's service when its peer.service names it", () => {
    const shared = (keys: string[]) => keys.filter((key) => fragmentKeys(server).includes(key));
    expect([
      shared(callKeys(call('charge-card', { 'peer.service': 'Payment-API' }), 'payment-api')),
      shared(callKeys(call('POST', { 'peer.service': 'payment-api' }), 'payment-api')),
      // A path says where the call went: the route decides, not the service.
      shared(callKeys(call('charge-card', { 'peer.service': 'payment-api', 'http.path': '/refunds' }), 'payment-api')),
      shared(callKeys(call('charge-card', { 'peer.service': 'ledger' }), 'payment-api')),
      shared(callKeys(call('charge-card', {}), 'payment-api')),
    ]).toEqual([['peer.service=payment-api'], ['peer.service=payment-api'], [], [], []]);
  });
});
