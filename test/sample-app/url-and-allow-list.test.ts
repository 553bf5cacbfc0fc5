import { FirstPartyOrigins } from '../../fixtures/sample-app/src/tracing/first-party';
import { parseHttpUrl } from '../../fixtures/sample-app/src/tracing/url-origin';

describe('parseHttpUrl', () => {
  test.each([
    ['http://127.0.0.1:4000/login', { origin: 'http://127.0.0.1:4000', host: '127.0.0.1', port: 4000 }],
    ['HTTPS://API.Example.com/search?q=1', { origin: 'https://api.example.com', host: 'api.example.com', port: 443 }],
    ['http://localhost:80', { origin: 'http://localhost', host: 'localhost', port: 80 }],
    ['http://user:pw@10.0.2.2:8080#x', { origin: 'http://10.0.2.2:8080', host: '10.0.2.2', port: 8080 }],
    ['http://[::1]:9000/', { origin: 'http://[::1]:9000', host: '[::1]', port: 9000 }],
  ])('splits %s', (url, expected) => {
    expect(parseHttpUrl(url)).toEqual(expected);
  });

  test.each(['/login', 'ftp://host/file', 'http://', 'http://host:0/', 'http://host:70000/', 'localhost:4000'])(
    'rejects %s',
    (url) => {
      expect(parseHttpUrl(url)).toBeUndefined();
    },
  );
});

describe('FirstPartyOrigins', () => {
  const allowList = new FirstPartyOrigins(['http://127.0.0.1:4000', 'not a url']);

  test.each([
    ['http://127.0.0.1:4000/checkout', true],
    ['http://127.0.0.1:4000', true],
    // Same host, other port: on loopback the analytics host differs from the gateway only by port.
    ['http://127.0.0.1:4001/events', false],
    ['https://127.0.0.1:4000/checkout', false],
    ['http://localhost:4000/checkout', false],
    ['http://127.0.0.1:4000.evil.example/x', false],
    ['http://evil.example/?http://127.0.0.1:4000', false],
  ])('allows %s: %s', (url, allowed) => {
    expect(allowList.allows(url)).toBe(allowed);
  });
});
