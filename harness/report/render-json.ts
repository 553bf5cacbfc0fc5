import type { CoverageReport } from './coverage';

/** coverage.json: the report as stable, indented JSON (it holds the runs, so shards can be merged). */
export function renderJson(report: CoverageReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
