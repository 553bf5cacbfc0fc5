import { MAX_W3C_CALLBACKS, parseW3cBody } from './w3c-body';

const HINT = 'Send a JSON array of {"url", "arguments"} objects, as the W3C trace-context test harness does.';

describe('parseW3cBody', () => {
  it('refuses arguments nested too deeply to send on, instead of failing the request with a 500', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(parseW3cBody(`[{"url": "http://127.0.0.1/", "arguments": ${deep}}]`)).toEqual({
      ok: false,
      reason: 'invalid-body',
      message: `[tracehop] Failed to run the W3C participant request: entry 0 has "arguments" nested too deeply to send on as JSON. ${HINT}`,
    });
  });

  it('reads the callbacks, defaulting arguments to an empty list', () => {
    expect(parseW3cBody('[{"url": "http://127.0.0.1:5000/test"}]')).toEqual({
      ok: true,
      value: [{ url: 'http://127.0.0.1:5000/test', arguments: [] }],
    });
  });

  test.each([
    ['{', 'not-json', 'the body is not JSON'],
    ['{}', 'invalid-body', 'the body is not a JSON array'],
    ['[1]', 'invalid-body', 'entry 0 has no "url" string'],
    ['[{"url": "nope"}]', 'invalid-body', 'entry 0 has an invalid url "nope"'],
    [
      '[{"url": "http://example.com/"}]',
      'not-loopback',
      'entry 0 points at "http://example.com/", which is not an http URL on loopback',
    ],
    [
      JSON.stringify(Array.from({ length: MAX_W3C_CALLBACKS + 1 }, () => ({ url: 'http://127.0.0.1/' }))),
      'too-many-callbacks',
      `the body asks for ${MAX_W3C_CALLBACKS + 1} callbacks, more than ${MAX_W3C_CALLBACKS}`,
    ],
  ])('refuses %s', (body, reason, cause) => {
    expect(parseW3cBody(body)).toEqual({
      ok: false,
      reason,
      message: `[tracehop] Failed to run the W3C participant request: ${cause}. ${HINT}`,
    });
  });
});
