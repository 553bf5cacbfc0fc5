import { validate, type Schema } from './schema';

const RATIOS: Schema = {
  type: 'object',
  properties: { name: { type: 'string' } },
  additional: { type: 'number', min: 0, max: 1 },
};
const STRICT: Schema = { type: 'object', properties: { name: { type: 'string' } } };

describe('validate', () => {
  it('checks fields outside the properties against the additional schema', () => {
    expect([validate({ name: 'a', checkout: 0.5 }, RATIOS), validate({ checkout: 2 }, RATIOS)]).toEqual([
      undefined,
      { path: 'checkout', problem: 'must be at most 1 (got 2)' },
    ]);
  });

  it('rejects a field named like an Object.prototype member in a strict object', () => {
    expect(validate(JSON.parse('{"constructor": 1}'), STRICT)).toEqual({
      path: 'constructor',
      problem: 'is not a known field (known: name)',
    });
  });
});
