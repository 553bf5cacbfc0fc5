import { failure } from '../internal/messages';
import { readTextFile } from '../internal/result';
import type { ReportInputFailure } from './input-reason';
import { parseJson, validate, type Schema } from './internal/schema';

/** The part of an earlier coverage.json needed to show movement since that run. */
export interface PreviousCoverage {
  readonly coverage: number;
  readonly journeys: ReadonlyArray<{ readonly name: string; readonly coverage: number }>;
}

/** An earlier coverage.json, or why not, with a message naming the file and the field. */
export type PreviousCoverageResult = { ok: true; value: PreviousCoverage } | ReportInputFailure;

const PREVIOUS_SCHEMA: Schema = {
  type: 'object',
  required: ['coverage', 'journeys'],
  additional: true,
  properties: {
    coverage: { type: 'number', min: 0, max: 1 },
    journeys: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'coverage'],
        additional: true,
        properties: { name: { type: 'string' }, coverage: { type: 'number', min: 0, max: 1 } },
      },
    },
  },
};

/** Parses an earlier coverage.json. Never throws. */
export function parsePreviousCoverage(text: string, label: string): PreviousCoverageResult {
  const action = `read the previous coverage from "${label}"`;
  const json = parseJson(text);
  if (!json.ok)
    return { ...json, message: failure(action, json.message, 'Pass the coverage.json of an earlier tracehop run.') };
  const error = validate(json.value, PREVIOUS_SCHEMA);
  if (error)
    return {
      ok: false,
      reason: 'invalid-schema',
      message: failure(action, `${error.path} ${error.problem}`, 'Pass the coverage.json of an earlier tracehop run.'),
    };
  return { ok: true, value: json.value as PreviousCoverage };
}

/**
 * Reads an earlier coverage.json. A missing file is not an error (the first run has no previous one):
 * it resolves to `{ ok: true, value: undefined }`.
 */
export async function loadPreviousCoverage(
  file: string,
): Promise<{ ok: true; value: PreviousCoverage | undefined } | ReportInputFailure> {
  const read = await readTextFile(file);
  if (!read.ok && read.reason === 'not-found') return { ok: true, value: undefined };
  if (!read.ok)
    return {
      ok: false,
      reason: read.reason,
      message: failure(
        `read the previous coverage from "${file}"`,
        read.message,
        'Check the path and its permissions.',
      ),
    };
  return parsePreviousCoverage(read.value, file);
}
