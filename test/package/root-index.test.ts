/**
 * The `tracehop` entry is derived from the module barrels (scripts/root-index.js): the committed
 * harness/index.ts must be exactly what the script writes, and at runtime it must export every value
 * name of those barrels and nothing else.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const { MODULES, barrelNames, rootIndex } = require(join(ROOT, 'scripts', 'root-index.js')) as {
  MODULES: [string, string][];
  barrelNames(module: string): { values: string[]; types: string[] };
  rootIndex(): string;
};

describe('the tracehop entry (harness/index.ts)', () => {
  it('is what node scripts/root-index.js writes from the barrels', () => {
    expect(readFileSync(join(ROOT, 'harness', 'index.ts'), 'utf8')).toBe(rootIndex());
  });

  it('exports at runtime exactly the value names of the model, propagation and verify barrels', () => {
    const expected = MODULES.flatMap(([module]) => barrelNames(module).values).sort();
    const actual = Object.keys(require(join(ROOT, 'harness')) as object).sort();
    expect(actual).toEqual(expected);
    expect(actual).toEqual(expect.arrayContaining(['verifyJourney', 'renderJourneyVerdict', 'journeySlice']));
    expect(actual).not.toContain('encodeOtlpProtobuf');
  });
});
