import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_TOPOLOGY } from '../../harness/backend';

describe('fixtures/topology.json', () => {
  it('holds exactly the built-in default topology', () => {
    const fixture: unknown = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'topology.json'), 'utf8'));
    expect(fixture).toEqual(DEFAULT_TOPOLOGY);
  });
});
