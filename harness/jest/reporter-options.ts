import { failure } from '../internal/messages';
import { fail, type Failure } from '../internal/result';
import { checkThresholdKeys, type ThresholdOptions } from '../report';

/** Options of the coverage reporter, given in Jest's `reporters` array. */
export interface TracehopReporterOptions {
  /** Path of the journeys file (relative to Jest's rootDir). Required. */
  readonly journeysFile?: string;
  /**
   * Where the reports go (relative to rootDir); runs are read from `<outputDir>/runs`. Default
   * artifacts/tracehop; $TRACEHOP_REPORT_DIR, when set, wins.
   */
  readonly outputDir?: string;
  readonly thresholds?: ThresholdOptions;
  /** An earlier run's coverage.json, for the movement column of coverage.md. */
  readonly previousCoverage?: string;
  /** Header names to redact in addition to the default credential headers (in run records too). */
  readonly redactHeaders?: readonly string[];
  /**
   * Whether coverage below the thresholds fails the Jest run. Default true, except under `jest --shard`,
   * where each shard sees only part of the journeys: gate the merged report with `tracehop report --merge`.
   */
  readonly gate?: boolean;
}

/** Why reporter options are refused. */
export type OptionsReason = 'unknown-option' | 'wrong-type' | 'not-a-threshold';

const ACTION = 'read the tracehop reporter options';

const OPTION_NAMES = ['journeysFile', 'outputDir', 'thresholds', 'previousCoverage', 'redactHeaders', 'gate'];

/** A value as a message quotes it: its JSON and what it is, e.g. `5 (a number)`. */
function described(value: unknown): string {
  const kind = Array.isArray(value)
    ? 'an array'
    : value === null
      ? 'null'
      : typeof value === 'object'
        ? 'an object'
        : `a ${typeof value}`;
  const text = JSON.stringify(value) ?? String(value);
  return value === null ? text : `${text} (${kind})`;
}

/** The type each option must have: a test, what it must be, and how to write it. */
const TYPES: Record<string, { test: (value: unknown) => boolean; must: string; hint: string }> = {
  journeysFile: {
    test: (value) => typeof value === 'string' && value !== '',
    must: 'a path (a non-empty string)',
    hint: "Write it as journeysFile: 'e2e/journeys.json', relative to Jest's rootDir.",
  },
  outputDir: {
    test: (value) => typeof value === 'string' && value !== '',
    must: 'a directory (a non-empty string)',
    hint: "Write it as outputDir: 'artifacts/tracehop', relative to Jest's rootDir, or leave it out.",
  },
  previousCoverage: {
    test: (value) => typeof value === 'string' && value !== '',
    must: 'a path (a non-empty string)',
    hint: "Write it as previousCoverage: 'previous/coverage.json', relative to Jest's rootDir, or leave it out.",
  },
  redactHeaders: {
    test: (value) => Array.isArray(value) && value.every((name) => typeof name === 'string'),
    must: 'an array of header names (strings)',
    hint: "Write it as redactHeaders: ['x-session-token'].",
  },
  gate: {
    test: (value) => typeof value === 'boolean',
    must: 'true or false',
    hint: 'Write it as gate: false to only report, or leave it out to gate.',
  },
};

/**
 * Checks the reporter options as Jest hands them (untyped config): no misspelt option (a dropped
 * `redactHeaders` would leak a secret into the artifacts), each of its type, thresholds of a known shape.
 * The journeys file's presence and contents are checked by the reporter.
 */
export function checkOptions(options: unknown): { ok: true } | Failure<OptionsReason> {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    return fail(
      'wrong-type',
      failure(
        ACTION,
        `they are ${described(options)}, not an object`,
        "Write them as ['tracehop/jest/reporter', { journeysFile: 'e2e/journeys.json' }].",
      ),
    );
  const extra = Object.keys(options).filter((key) => !OPTION_NAMES.includes(key));
  if (extra.length > 0)
    return fail(
      'unknown-option',
      failure(
        ACTION,
        `${extra.map((key) => `"${key}"`).join(', ')} ${extra.length === 1 ? 'is not an option' : 'are not options'}`,
        `Options are ${OPTION_NAMES.join(', ')}.`,
      ),
    );
  const values = options as Record<string, unknown>;
  for (const [name, type] of Object.entries(TYPES)) {
    const value = values[name];
    if (value === undefined || type.test(value)) continue;
    return fail('wrong-type', failure(ACTION, `"${name}" is ${described(value)}, not ${type.must}`, type.hint));
  }
  return values.thresholds === undefined ? { ok: true } : checkThresholdKeys(values.thresholds, ACTION);
}
