import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { failure } from '../internal/messages';
import { errorMessage } from '../internal/result';
import type { ReportInputFailure } from './input-reason';
import type { CoverageReport } from './coverage';
import type { PreviousCoverage } from './previous';
import { createRedactor } from './redact';
import { renderHtml } from './render-html';
import { renderJson } from './render-json';
import { renderJunit } from './render-junit';
import { renderMarkdown } from './render-markdown';

/** Where writeReports put each artifact. */
export interface ReportFiles {
  readonly json: string;
  readonly markdown: string;
  readonly junit: string;
  readonly html: string;
}

/** Options for writeReports. */
export interface WriteReportsOptions {
  /** Header names to redact in addition to the default credential headers. */
  readonly redactHeaders?: readonly string[];
  /** The previous run's coverage, for the movement column of coverage.md. */
  readonly previous?: PreviousCoverage;
  /** Why this run does not gate, said in coverage.md instead of "gate passed" or "gate failed". */
  readonly ungated?: string;
}

/**
 * Removes secrets from every header and header attribute the report carries, and scrubs the values those
 * headers carried from problems and hop reasons (a check may quote a header it saw).
 */
export function redactReport(report: CoverageReport, redactHeaders: readonly string[] = []): CoverageReport {
  const redactor = createRedactor(redactHeaders);
  const values = [...new Set(report.runs.flatMap((run) => redactor.secretValues(run.captures)))].sort(
    (a, b) => b.length - a.length,
  );
  const scrub = (text: string | null): string | null => (text === null ? null : redactor.text(text, values));
  return {
    ...report,
    journeys: report.journeys.map((journey) => ({
      ...journey,
      firstBrokenReason: scrub(journey.firstBrokenReason),
      hops: journey.hops.map((hop) => ({ ...hop, reason: scrub(hop.reason) })),
      problems: journey.problems.map((problem) => redactor.problem(problem, values)),
      // Warnings quote span names, as problems do.
      warnings: journey.warnings.map((warning) => ({ ...warning, message: redactor.text(warning.message, values) })),
    })),
    runs: report.runs.map((run) => ({
      ...run,
      spans: run.spans.map(redactor.span),
      captures: run.captures.map(redactor.capture),
      problems: run.problems.map((problem) => redactor.problem(problem, values)),
    })),
  };
}

/** Writes coverage.json, coverage.md, junit.xml and report.html into `dir`. Never throws. */
export async function writeReports(
  report: CoverageReport,
  dir: string,
  options: WriteReportsOptions = {},
): Promise<{ ok: true; value: ReportFiles } | ReportInputFailure> {
  const safe = redactReport(report, options.redactHeaders);
  const files: ReportFiles = {
    json: join(dir, 'coverage.json'),
    markdown: join(dir, 'coverage.md'),
    junit: join(dir, 'junit.xml'),
    html: join(dir, 'report.html'),
  };
  try {
    await mkdir(dir, { recursive: true });
    await Promise.all([
      writeFile(files.json, renderJson(safe)),
      writeFile(files.markdown, renderMarkdown(safe, options.previous, options.ungated)),
      writeFile(files.junit, renderJunit(safe)),
      writeFile(files.html, renderHtml(safe, { redactHeaders: options.redactHeaders })),
    ]);
  } catch (error) {
    // EEXIST and ENOTDIR: a file where the directory (or one above it) must be, as `-o report.html` names.
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    const hint =
      code === 'EEXIST' || code === 'ENOTDIR'
        ? 'It, or a directory above it, is a file: name a directory for the four reports (tracehop writes coverage.json, coverage.md, junit.xml and report.html into it).'
        : 'Check that the directory is writable.';
    return {
      ok: false,
      reason: 'write-failed',
      message: failure(`write the coverage reports to "${dir}"`, errorMessage(error), hint),
    };
  }
  return { ok: true, value: files };
}
