import { launchUrl } from './launch-url';

describe('launchUrl', () => {
  it('turns launch args into query parameters, objects as JSON', () => {
    expect(
      launchUrl('http://127.0.0.1:5000/index.html', {
        tracehopBackendUrl: 'http://127.0.0.1:4001',
        retries: 2,
        verbose: true,
        flags: { a: 1 },
      }),
    ).toBe(
      'http://127.0.0.1:5000/index.html?tracehopBackendUrl=http%3A%2F%2F127.0.0.1%3A4001&retries=2&verbose=true&flags=%7B%22a%22%3A1%7D',
    );
  });

  it("leaves out Detox's own args and empty values", () => {
    expect(
      launchUrl('http://127.0.0.1:5000/index.html', {
        detoxServer: 'ws://localhost:1',
        detoxSessionId: 's',
        gone: undefined,
        none: null,
      }),
    ).toBe('http://127.0.0.1:5000/index.html');
  });
});
