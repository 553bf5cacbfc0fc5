import type { CapturedRequest, Span } from '../model';
import { PROBLEM_KINDS, type Problem } from '../verify';
import { failure } from '../internal/messages';
import type { ReportInputFailure } from './input-reason';
import { parseJson, validate, type Schema } from './internal/schema';
import { PLATFORMS, type Platform } from './platform';

/** What one run of one journey left behind: written by `recordJourney`, read by the reports. */
export interface JourneyRun {
  readonly version: 1;
  readonly journey: string;
  /** Unique per run (worker, process, time, counter). */
  readonly runId: string;
  /** ISO 8601 time the run was recorded. */
  readonly recordedAt: string;
  /** Jest worker id, or "main". */
  readonly worker: string;
  readonly testPath?: string;
  /** Where the journey ran (from the Detox device config type); absent for runs from OTLP dumps or outside Detox. */
  readonly platform?: Platform;
  /** "otlp" when built from OTLP dumps: spans only, no capture log. Absent for recorded runs. */
  readonly source?: 'otlp';
  readonly spans: readonly Span[];
  /** Every request the mock backend captured during the run (headers already redacted). */
  readonly captures: readonly CapturedRequest[];
  /** Problems the verifier reported for the run, if the spec ran it. */
  readonly problems: readonly Problem[];
}

/** A checked run record, or a message naming the file and the field. */
export type JourneyRunResult = { ok: true; value: JourneyRun } | ReportInputFailure;

const hex = (length: number, what: string): Schema => ({
  type: 'string',
  pattern: new RegExp(`^[0-9a-f]{${length}}$`),
  patternHint: `a ${what} (${length} lowercase hex characters)`,
});

/** The shape of a span in a run record. */
export const SPAN_SCHEMA: Schema = {
  type: 'object',
  required: ['traceId', 'spanId', 'name', 'kind', 'service', 'startTimeMs', 'endTimeMs', 'attributes'],
  properties: {
    traceId: hex(32, 'trace id'),
    spanId: hex(16, 'span id'),
    parentSpanId: hex(16, 'span id'),
    name: { type: 'string' },
    kind: { type: 'string', enum: ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] },
    service: { type: 'string' },
    startTimeMs: { type: 'number' },
    endTimeMs: { type: 'number' },
    attributes: { type: 'object', properties: {}, additional: true },
    traceFlags: { type: 'number', min: 0, max: 255 },
    traceState: { type: 'string' },
    statusCode: { type: 'number' },
    statusMessage: { type: 'string' },
    exceptions: {
      type: 'array',
      items: { type: 'object', properties: { type: { type: 'string' }, message: { type: 'string' } } },
    },
    links: {
      type: 'array',
      items: {
        type: 'object',
        required: ['traceId', 'spanId'],
        properties: {
          traceId: hex(32, 'trace id'),
          spanId: hex(16, 'span id'),
          attributes: { type: 'object', properties: {}, additional: true },
        },
      },
    },
    source: { type: 'any' },
  },
};

/** The shape of a captured request in a run record (the capture contract's fields only). */
export const CAPTURE_SCHEMA: Schema = {
  type: 'object',
  required: ['seq', 'service', 'firstParty', 'method', 'path', 'headers', 'timeMs'],
  properties: {
    seq: { type: 'number' },
    service: { type: 'string' },
    firstParty: { type: 'boolean' },
    method: { type: 'string' },
    path: { type: 'string' },
    headers: { type: 'array', items: { type: 'tuple', items: [{ type: 'string' }, { type: 'string' }] } },
    timeMs: { type: 'number' },
    serverSpanId: { type: 'string' },
    serverTraceId: { type: 'string' },
  },
};

/** A problem needs a known kind and a message; its other fields depend on the kind. */
export const PROBLEM_SCHEMA: Schema = {
  type: 'object',
  required: ['kind', 'message'],
  additional: true,
  properties: { kind: { type: 'string', enum: PROBLEM_KINDS }, message: { type: 'string' } },
};

/** The shape of a run record file. */
export const RUN_SCHEMA: Schema = {
  type: 'object',
  required: ['version', 'journey', 'runId', 'recordedAt', 'worker', 'spans', 'captures', 'problems'],
  properties: {
    version: { type: 'number', min: 1, max: 1 },
    journey: { type: 'string', minLength: 1 },
    runId: { type: 'string', minLength: 1 },
    recordedAt: { type: 'string', pattern: /^\d{4}-\d\d-\d\dT/, patternHint: 'an ISO 8601 time' },
    worker: { type: 'string' },
    testPath: { type: 'string' },
    platform: { type: 'string', enum: PLATFORMS },
    source: { type: 'string', enum: ['otlp'] },
    spans: { type: 'array', items: SPAN_SCHEMA },
    captures: { type: 'array', items: CAPTURE_SCHEMA },
    problems: { type: 'array', items: PROBLEM_SCHEMA },
  },
};

/** Checks a decoded value as a journey run; `label` names the input (file) in messages. */
export function checkJourneyRun(value: unknown, label: string, path = ''): JourneyRunResult {
  const error = validate(value, RUN_SCHEMA, path);
  if (error) {
    return {
      ok: false,
      reason: 'invalid-schema',
      message: failure(
        `read a journey run from "${label}"`,
        `${error.path} ${error.problem}`,
        'Record runs with recordJourney() from tracehop/jest.',
      ),
    };
  }
  return { ok: true, value: value as JourneyRun };
}

/** Parses one run file's text. Never throws. */
export function parseJourneyRun(text: string, label: string): JourneyRunResult {
  const json = parseJson(text);
  if (!json.ok)
    return {
      ...json,
      message: failure(
        `read a journey run from "${label}"`,
        json.message,
        'Delete the file and run the journey again.',
      ),
    };
  return checkJourneyRun(json.value, label);
}
