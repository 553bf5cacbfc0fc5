import { percent, wholePercent, type CoverageReport, type JourneyCoverage, type Thresholds } from './coverage';
import { appClockPhrase } from './internal/app-clock';
import { escapeCell } from './internal/escape';
import { shortReason } from './internal/short-reason';
import type { PreviousCoverage } from './previous';

function movement(now: number, before: number | undefined): string {
  if (before === undefined) return 'new';
  // Between the percentages shown (rounded down), so 66% after 100% reads -34, not -33.
  const delta = wholePercent(now) - wholePercent(before);
  if (delta === 0) return 'no change';
  return delta > 0 ? `▲ +${delta} pts` : `▼ ${delta} pts`;
}

function brokenCell(journey: JourneyCoverage): string {
  if (journey.runId === null) return 'never run';
  if (journey.firstBrokenHop === null) return '—';
  return `\`${escapeCell(journey.firstBrokenHop)}\`: ${escapeCell(shortReason(journey.firstBrokenReason ?? ''))}`;
}

function thresholdText(thresholds: Thresholds): string {
  const parts = [`suite ${percent(thresholds.suite)}`, `journey ${percent(thresholds.journey)}`];
  for (const [name, value] of Object.entries(thresholds.journeys)) parts.push(`${name} ${percent(value)}`);
  return parts.join(', ');
}

/** Coverage per journey per platform: one column per platform that ran, its suite line last. */
function platformTable(report: CoverageReport): string[] {
  if (report.platforms.length === 0) return [];
  const cell = (journey: JourneyCoverage | undefined): string =>
    journey === undefined
      ? '—'
      : `${journey.complete ? '✅' : journey.passed ? '⚠️' : '❌'} ${journey.runId === null ? 'never run' : percent(journey.coverage)}`;
  const lines = [
    '',
    '### Per platform',
    '',
    `| Journey | ${report.platforms.map((entry) => entry.platform).join(' | ')} |`,
    `| --- |${report.platforms.map(() => ' ---: |').join('')}`,
  ];
  for (const journey of report.journeys) {
    const cells = report.platforms.map((entry) => cell(entry.journeys.find((own) => own.name === journey.name)));
    lines.push(`| ${escapeCell(journey.name)} | ${cells.join(' | ')} |`);
  }
  const suites = report.platforms.map(
    (entry) =>
      `${entry.passed ? '✅' : '❌'} ${percent(entry.coverage)} (${entry.coveredJourneys} of ${entry.declared})`,
  );
  lines.push(`| **suite** | ${suites.join(' | ')} |`);
  for (const entry of report.platforms) {
    if (thresholdText(entry.thresholds) !== thresholdText(report.thresholds))
      lines.push('', `Thresholds on ${entry.platform}: ${thresholdText(entry.thresholds)}.`);
  }
  return lines;
}

/** Per journey, what is worth reading and never a defect: the app's clock off the backend's, warnings by kind. */
function warningLines(report: CoverageReport): string[] {
  const lines: string[] = [];
  for (const journey of report.journeys) {
    const phrase = appClockPhrase(journey);
    const parts: string[] = phrase === undefined ? [] : [escapeCell(phrase)];
    const counts = new Map<string, number>();
    for (const warning of journey.warnings) counts.set(warning.kind, (counts.get(warning.kind) ?? 0) + 1);
    for (const [kind, count] of counts) parts.push(`${count} ${kind} warning${count === 1 ? '' : 's'}`);
    if (parts.length > 0) lines.push(`- ${escapeCell(journey.name)}: ${parts.join('; ')}`);
  }
  return lines.length > 0 ? ['', '### Warnings (never a defect; report.html has each one)', '', ...lines] : [];
}

/** coverage.md: a table for a CI step summary; with `previous`, the movement since that run. */
export function renderMarkdown(report: CoverageReport, previous?: PreviousCoverage, ungated?: string): string {
  // A run that does not gate (one shard of several, or `gate: false`) says why instead of a verdict.
  const verdict = ungated ?? (report.passed ? '✅ gate passed' : '❌ gate failed');
  const was = previous
    ? ` (previous run: ${percent(previous.coverage)}, ${movement(report.coverage, previous.coverage)})`
    : '';
  const lines = [
    '## tracehop trace coverage',
    '',
    `**${percent(report.coverage)}** of critical journeys fully covered (${report.coveredJourneys} of ${report.declared}), ${verdict}${was}.`,
    '',
    // check's note when the journeys judged again did not settle, word for word.
    ...(report.unsettled ? [`> ⚠️ ${report.unsettled.message}`, ''] : []),
    `| Journey | Coverage | Hops | First broken hop | Owner | Criticality |${previous ? ' Since last run |' : ''}`,
    `| --- | ---: | ---: | --- | --- | --- |${previous ? ' --- |' : ''}`,
  ];
  for (const journey of report.journeys) {
    const mark = journey.complete ? '✅' : journey.passed ? '⚠️' : '❌';
    const before = previous?.journeys.find((entry) => entry.name === journey.name)?.coverage;
    const cells = [
      `${mark} ${escapeCell(journey.name)}`,
      percent(journey.coverage),
      `${journey.covered}/${journey.expected}`,
      brokenCell(journey),
      escapeCell(journey.owner),
      journey.criticality,
      ...(previous ? [movement(journey.coverage, before)] : []),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  lines.push(...platformTable(report));
  lines.push('', `Thresholds: ${thresholdText(report.thresholds)}.`);
  lines.push(...warningLines(report));
  if (report.undeclared.length > 0) {
    lines.push(
      '',
      `Recorded but not declared in the journeys file (ignored): ${report.undeclared.map((name) => `\`${escapeCell(name)}\``).join(', ')}.`,
    );
  }
  return `${lines.join('\n')}\n`;
}
