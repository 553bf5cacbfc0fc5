import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exampleDumps } from '../../fixtures/dumps/generate';
import { ROOT } from './support';

describe('the example dumps in fixtures/dumps', () => {
  it('are what fixtures/dumps/generate.ts writes today (regenerate them after changing the journey)', async () => {
    const expected = await exampleDumps();
    const committed = Object.fromEntries(
      Object.keys(expected).map((name) => [name, readFileSync(join(ROOT, 'fixtures/dumps', name))]),
    );
    const written = Object.fromEntries(Object.entries(expected).map(([name, body]) => [name, Buffer.from(body)]));
    expect(committed).toEqual(written);
  });
});
