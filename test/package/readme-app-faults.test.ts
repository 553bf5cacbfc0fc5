import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_HOP_FIXES } from '../../harness/model';
import { APP_FAULT_NAMES } from '../../harness/detox';

/**
 * README's app-fault table says each verdict line "ends with" its fix column, so that column must be the
 * verdict's words, not a paraphrase. The fault matrix (test/e2e/fault-matrix.test.ts) checks the verdict lines.
 */
function appFaultRows(): Map<string, string> {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const start = readme.indexOf('| app fault |');
  const rows = new Map<string, string>();
  for (const line of readme.slice(start).split('\n').slice(2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split(' | ');
    rows.set(cells[0]!.replace(/^\| `|`$/g, ''), cells[cells.length - 1]!.replace(/ \|$/, ''));
  }
  return rows;
}

describe("README's app-fault table", () => {
  it('lists every app fault once, with the fix its verdict line ends with, word for word', () => {
    const expected = new Map<string, string>(APP_FAULT_NAMES.map((name) => [name, APP_HOP_FIXES[name]]));
    // An app that sends no header at all may also lack a propagator: the hop's evidence adds that fix.
    expected.set(
      'gateway-not-first-party',
      `${APP_HOP_FIXES['gateway-not-first-party']}, and register a W3C propagator (OpenTelemetry JS: propagation.setGlobalPropagator(new W3CTraceContextPropagator()))`,
    );
    expect(appFaultRows()).toEqual(expected);
  });
});
