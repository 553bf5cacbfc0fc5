import { listen } from './listener';

describe('listen', () => {
  it('answers 500 naming the defect when a handler rejects, and keeps serving', async () => {
    let calls = 0;
    const listener = await listen(async (_request, response) => {
      calls++;
      if (calls === 1) throw new Error('the handler broke');
      response.end('fine');
    });
    try {
      const broken = await fetch(`${listener.url}/x`);
      const brokenText = await broken.text();
      const next = await fetch(`${listener.url}/x`);
      expect({ status: broken.status, text: brokenText, next: await next.text() }).toEqual({
        status: 500,
        text: '[tracehop] Failed to handle GET /x: the handler broke. This is a tracehop defect: please report it with this message.\n',
        next: 'fine',
      });
    } finally {
      await listener.close();
    }
  });
});
