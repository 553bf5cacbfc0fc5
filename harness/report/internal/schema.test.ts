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
      path: '(top level)',
      problem: 'has an unknown field "constructor" (known: name)',
    });
  });

  it('suggests no field the object already has: {name, nmae} misspells nothing', () => {
    const SERVICE: Schema = {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string' }, port: { type: 'number' } },
    };
    expect([validate({ name: 'a', nmae: 'b' }, SERVICE), validate({ name: 'a', prot: 1 }, SERVICE)]).toEqual([
      { path: '(top level)', problem: 'has an unknown field "nmae" (known: name, port)' },
      { path: '(top level)', problem: 'has an unknown field "prot" (did you mean "port"?)' },
    ]);
  });

  it('names the known field an unknown one most likely misspells, in any object of the schema', () => {
    const NESTED: Schema = {
      type: 'object',
      required: ['services'],
      properties: {
        services: {
          type: 'array',
          items: { type: 'object', required: ['name', 'port'], properties: { name: STRICT, port: { type: 'number' } } },
        },
      },
    };
    expect([
      validate(
        {
          services: [
            { name: {}, port: 1 },
            { nmae: {}, port: 2 },
          ],
        },
        NESTED,
      ),
      validate({ services: [{ name: {}, prot: 2 }] }, NESTED),
      validate({ services: [{ name: { NAME: 'a' }, port: 2 }] }, NESTED),
      validate({ Services: [] }, NESTED),
      validate({ services: [{ name: {}, port: 2, [`port${'x'.repeat(100_000)}`]: 1 }] }, NESTED),
    ]).toEqual([
      { path: 'services[1]', problem: 'has an unknown field "nmae" (did you mean "name"?)' },
      { path: 'services[0]', problem: 'has an unknown field "prot" (did you mean "port"?)' },
      { path: 'services[0].name', problem: 'has an unknown field "NAME" (did you mean "name"?)' },
      { path: '(top level)', problem: 'has an unknown field "Services" (did you mean "services"?)' },
      {
        path: 'services[0]',
        problem: 'has an unknown field "portxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..." (known: name, port)',
      },
    ]);
  });

  it('says a required field is missing when no unknown field misspells it, and lets additional fields be', () => {
    const OPEN: Schema = {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string' } },
      additional: true,
    };
    expect([
      validate({ title: 'a' }, { ...STRICT, required: ['name'] }),
      validate({ nam: 'a' }, OPEN),
      validate({ nam: 'a', name: 'b' }, OPEN),
    ]).toEqual([{ path: 'name', problem: 'is required' }, { path: 'name', problem: 'is required' }, undefined]);
  });
});
