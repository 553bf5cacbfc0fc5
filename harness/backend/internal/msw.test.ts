import { getResponse, http, HttpHandler, JsonAnswer, respond, route } from './msw';

const ORIGIN = 'http://127.0.0.1:4318';

function handlers(): HttpHandler[] {
  const answer = (name: string) => async () => new Response(name);
  return [
    route('POST', `${ORIGIN}/checkout`, answer('checkout')),
    route('GET', `${ORIGIN}/search`, answer('search')),
    route('POST', `${ORIGIN}/users/:id`, answer('user')),
  ];
}

async function answerOf(
  how: 'respond' | 'msw',
  list: HttpHandler[],
  method: string,
  path: string,
): Promise<{ text: string; cloned: boolean }> {
  const url = new URL(path, ORIGIN);
  const request = new Request(url, { method });
  // The direct path answers from the light request alone; only msw's path asks for the Fetch Request.
  const light = { method, url: url.href, text: () => Promise.resolve('') };
  let built = false;
  const fetchRequest = (): Request => {
    built = true;
    return request;
  };
  const response = how === 'respond' ? await respond(list, light, url, fetchRequest) : await getResponse(list, request);
  // msw clones every request it runs handlers on; the direct path never does.
  const cloned = HttpHandler.cache.has(request);
  if (how === 'respond' && built !== cloned)
    throw new Error(`built a Fetch Request: ${built}, msw cloned it: ${cloned}`);
  const text = response instanceof JsonAnswer ? response.body : await response?.text();
  return { text: text ?? '(no answer)', cloned };
}

describe('respond', () => {
  it.each([
    ['POST', '/checkout', 'checkout', false],
    ['POST', '/checkout/', 'checkout', false],
    ['POST', '/CHECKOUT', 'checkout', false],
    ['POST', '/checkout?cart=42', 'checkout', false],
    ['post', '/checkout', 'checkout', false],
    ['GET', '/search', 'search', false],
    ['GET', '/checkout', '(no answer)', true],
    ['POST', '/nowhere', '(no answer)', true],
    ['POST', '/users/7', 'user', true],
  ])('answers %s %s as msw does (%s; through msw: %s)', async (method, path, text, throughMsw) => {
    expect(await answerOf('respond', handlers(), method, path)).toEqual({ text, cloned: throughMsw });
    expect((await answerOf('msw', handlers(), method, path)).text).toBe(text);
  });

  it('lets msw decide when a handler it did not make comes first', async () => {
    const list = [http.post(`${ORIGIN}/checkout`, () => new Response('plain msw')), ...handlers()];
    expect(await answerOf('respond', list, 'POST', '/checkout')).toEqual({ text: 'plain msw', cloned: true });
  });

  it('hands a JSON answer to the listener as text, and to msw as the same Response', async () => {
    const json = route('POST', `${ORIGIN}/payments`, async () => new JsonAnswer(201, '{"ok":true}'));
    const url = new URL('/payments', ORIGIN);
    const light = { method: 'POST', url: url.href, text: () => Promise.resolve('') };
    const direct = await respond([json], light, url, () => new Request(url, { method: 'POST' }));
    expect(direct instanceof JsonAnswer ? [direct.status, direct.body] : direct).toEqual([201, '{"ok":true}']);
    const viaMsw = await getResponse([json], new Request(url, { method: 'POST' }));
    expect([viaMsw?.status, viaMsw?.headers.get('content-type'), await viaMsw?.text()]).toEqual([
      201,
      'application/json',
      '{"ok":true}',
    ]);
  });
});
