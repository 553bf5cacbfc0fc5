import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROBLEM_KINDS } from '../../harness';

/**
 * README's "The words for defects" and docs/ARCHITECTURE.md's "Defect words" list every kind a verdict can
 * name, once each, in the code's order: the docs say the CLI, matchers and reports use exactly these words.
 */
function kindsTable(doc: string): string[] {
  const text = readFileSync(join(__dirname, '..', '..', doc), 'utf8');
  const start = text.indexOf('\n| kind | meaning |');
  const kinds: string[] = [];
  for (const line of text
    .slice(start + 1)
    .split('\n')
    .slice(2)) {
    if (!line.startsWith('|')) break;
    kinds.push((line.split(' | ')[0] ?? '').replace(/^\| `|`$/g, ''));
  }
  return kinds;
}

describe('the defect words in the docs', () => {
  test.each(['README.md', 'docs/ARCHITECTURE.md'])('%s lists every problem kind once, in order', (doc) => {
    expect(kindsTable(doc)).toEqual([...PROBLEM_KINDS]);
  });
});
