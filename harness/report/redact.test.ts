import { createRedactor, REDACTED } from './redact';
import { sampleRun } from './test-support/sample-runs';

describe('createRedactor', () => {
  it('redacts the credential headers by default, keeping order and duplicates', () => {
    const redactor = createRedactor();
    expect(
      redactor.headers([
        ['authorization', 'Bearer x'],
        ['cookie', 'a=1'],
        ['Set-Cookie', 'b=2'],
        ['proxy-authorization', 'Basic y'],
        ['x-api-key', 'k'],
        ['traceparent', '00-abc'],
        ['cookie', 'c=3'],
      ]),
    ).toEqual([
      ['authorization', REDACTED],
      ['cookie', REDACTED],
      ['Set-Cookie', REDACTED],
      ['proxy-authorization', REDACTED],
      ['x-api-key', REDACTED],
      ['traceparent', '00-abc'],
      ['cookie', REDACTED],
    ]);
  });

  it('redacts configured header names case-insensitively', () => {
    expect(
      createRedactor(['X-Session-Token']).headers([
        ['x-session-token', 's'],
        ['x-other', 'o'],
      ]),
    ).toEqual([
      ['x-session-token', REDACTED],
      ['x-other', 'o'],
    ]);
  });

  it('redacts headers recorded as span attributes', () => {
    const span = sampleRun('login', 1).spans[1]!;
    expect(
      createRedactor(['x-tenant']).span({
        ...span,
        attributes: {
          'http.request.header.authorization': ['t'],
          'http.response.header.x-tenant': ['a'],
          'url.path': '/login',
        },
      }).attributes,
    ).toEqual({
      'http.request.header.authorization': REDACTED,
      'http.response.header.x-tenant': REDACTED,
      'url.path': '/login',
    });
  });

  it('finds the values secret headers carried, longest first, leaving out empty and redacted ones', () => {
    const capture = {
      ...sampleRun('login', 1).captures[0]!,
      headers: [
        ['cookie', 'a=1'],
        ['authorization', 'Bearer long'],
        ['x-api-key', ''],
        ['cookie', REDACTED],
        ['host', 'h'],
      ] as const,
    };
    expect(createRedactor().secretValues([capture])).toEqual(['Bearer long', 'a=1']);
  });
});
