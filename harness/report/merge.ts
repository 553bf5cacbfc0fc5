import { failure } from '../internal/messages';
import {
  computeCoverage,
  type CoverageReport,
  type PlatformThresholds,
  type ThresholdOptions,
  type Thresholds,
} from './coverage';
import type { ReportInputFailure } from './input-reason';
import { parseJson, validate, type Schema } from './internal/schema';
import { JOURNEY_SCHEMA, checkJourneyList, type JourneySpec } from './journeys';
import { PLATFORMS, type Platform } from './platform';
import { RUN_SCHEMA, type JourneyRun } from './run-record';

/** What a coverage.json holds that merging needs: the declared journeys, the runs and the thresholds. */
export interface CoverageInput {
  readonly label: string;
  readonly spec: readonly JourneySpec[];
  readonly runs: readonly JourneyRun[];
  readonly thresholds: Thresholds;
}

const THRESHOLD: Schema = { type: 'number', min: 0, max: 1 };

const PLATFORM_THRESHOLDS: Schema = {
  type: 'object',
  properties: {
    suite: THRESHOLD,
    journey: THRESHOLD,
    journeys: { type: 'object', properties: {}, additional: THRESHOLD },
  },
};

const COVERAGE_FILE_SCHEMA: Schema = {
  type: 'object',
  required: ['version', 'spec', 'runs', 'thresholds'],
  additional: true,
  properties: {
    version: { type: 'number', min: 1, max: 1 },
    spec: { type: 'array', items: JOURNEY_SCHEMA },
    runs: { type: 'array', items: RUN_SCHEMA },
    thresholds: {
      type: 'object',
      required: ['suite', 'journey', 'journeys'],
      properties: {
        suite: THRESHOLD,
        journey: THRESHOLD,
        journeys: { type: 'object', properties: {}, additional: THRESHOLD },
        platforms: {
          type: 'object',
          properties: Object.fromEntries(PLATFORMS.map((platform) => [platform, PLATFORM_THRESHOLDS])),
        },
      },
    },
  },
};

/** Per platform: the flags' values over the file's, journey by journey. */
function mergePlatforms(
  first: Thresholds['platforms'],
  given: ThresholdOptions['platforms'],
): Partial<Record<Platform, PlatformThresholds>> | undefined {
  const merged: Partial<Record<Platform, PlatformThresholds>> = {};
  for (const platform of PLATFORMS) {
    const a = first?.[platform];
    const b = given?.[platform];
    if (a === undefined && b === undefined) continue;
    const journeys = { ...(a?.journeys ?? {}), ...(b?.journeys ?? {}) };
    const suite = b?.suite ?? a?.suite;
    const journey = b?.journey ?? a?.journey;
    merged[platform] = {
      ...(suite === undefined ? {} : { suite }),
      ...(journey === undefined ? {} : { journey }),
      ...(Object.keys(journeys).length > 0 ? { journeys } : {}),
    };
  }
  return Object.keys(merged).length > 0 ? merged : undefined;
}

/** Parses a coverage.json written by the reporter or by `tracehop report`. Never throws. */
export function parseCoverageFile(
  text: string,
  label: string,
): { ok: true; value: CoverageInput } | ReportInputFailure {
  const action = `read coverage from "${label}"`;
  const hint = 'Pass coverage.json files written by the tracehop reporter (one per shard).';
  const json = parseJson(text);
  if (!json.ok) return { ...json, message: failure(action, json.message, hint) };
  const error = validate(json.value, COVERAGE_FILE_SCHEMA);
  if (error)
    return { ok: false, reason: 'invalid-schema', message: failure(action, `${error.path} ${error.problem}`, hint) };
  const value = json.value as Omit<CoverageInput, 'label'>;
  // The journeys file's own rules: a journey with no hop would read 100% covered with nothing checked.
  const badSpec = checkJourneyList(value.spec, action, 'spec');
  if (badSpec) return badSpec;
  const undeclared = undeclaredThresholds(value.spec, value.thresholds);
  if (undeclared !== undefined)
    return {
      ok: false,
      reason: 'invalid-schema',
      message: failure(
        action,
        `${undeclared} names a journey its spec does not declare`,
        `Declared journeys: ${value.spec.map((journey) => journey.name).join(', ')}. ${hint}`,
      ),
    };
  return { ok: true, value: { label, spec: value.spec, runs: value.runs, thresholds: value.thresholds } };
}

/** The path of the first per-journey threshold that names no journey of `spec`, or undefined. */
function undeclaredThresholds(spec: readonly JourneySpec[], thresholds: Thresholds): string | undefined {
  const declared = new Set(spec.map((journey) => journey.name));
  const levels: Array<[string, Readonly<Record<string, number>> | undefined]> = [
    ['thresholds.journeys', thresholds.journeys],
    ...Object.entries(thresholds.platforms ?? {}).map(
      ([platform, level]): [string, Readonly<Record<string, number>> | undefined] => [
        `thresholds.platforms.${platform}.journeys`,
        level?.journeys,
      ],
    ),
  ];
  for (const [path, journeys] of levels) {
    const name = Object.keys(journeys ?? {}).find((key) => !declared.has(key));
    if (name !== undefined) return `${path}["${name}"]`;
  }
  return undefined;
}

const sameJourney = (a: JourneySpec, b: JourneySpec): boolean =>
  a.chain.join('\u0000') === b.chain.join('\u0000') &&
  (a.noTraceHeaders ?? []).join('\u0000') === (b.noTraceHeaders ?? []).join('\u0000');

/**
 * Folds sharded coverage files into one report, as if every run had happened in one process. Journeys
 * are united by name (their chains must agree); runs are kept once by run id; thresholds come from the
 * first file unless given.
 */
export function mergeCoverage(
  inputs: readonly CoverageInput[],
  options: { thresholds?: ThresholdOptions; generatedAt?: string } = {},
): { ok: true; value: CoverageReport } | ReportInputFailure {
  const firstInput = inputs[0];
  if (firstInput === undefined)
    return {
      ok: false,
      reason: 'no-inputs',
      message: failure('merge coverage', 'no coverage files were given', 'Pass one coverage.json per shard.'),
    };
  const spec: JourneySpec[] = [];
  for (const input of inputs) {
    for (const journey of input.spec) {
      const known = spec.find((entry) => entry.name === journey.name);
      if (!known) spec.push(journey);
      else if (!sameJourney(known, journey)) {
        return {
          ok: false,
          reason: 'conflicting-journeys',
          message: failure(
            'merge coverage',
            `journey "${journey.name}" has chain ${journey.chain.join(' -> ')} in "${input.label}" but ${known.chain.join(' -> ')} in an earlier file`,
            'Merge shards that ran with the same journeys file.',
          ),
        };
      }
    }
  }
  const runs = new Map<string, JourneyRun>();
  for (const input of inputs) for (const run of input.runs) if (!runs.has(run.runId)) runs.set(run.runId, run);
  // Flags given to the merge override the first file's thresholds, journey by journey.
  const given = options.thresholds ?? {};
  const first = firstInput.thresholds;
  const platforms = mergePlatforms(first.platforms, given.platforms);
  const thresholds: Thresholds = {
    suite: given.suite ?? first.suite,
    journey: given.journey ?? first.journey,
    journeys: { ...first.journeys, ...given.journeys },
    ...(platforms ? { platforms } : {}),
  };
  return {
    ok: true,
    value: computeCoverage(spec, [...runs.values()], { thresholds, generatedAt: options.generatedAt }),
  };
}
