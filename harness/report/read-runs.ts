import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { failure } from '../internal/messages';
import { errorMessage, readTextFile } from '../internal/result';
import { parseJourneyRun, type JourneyRun } from './run-record';

/** Runs read from a directory, and a message per file that could not be used. */
export interface ReadRunsResult {
  readonly runs: JourneyRun[];
  readonly errors: string[];
}

/**
 * Reads every `*.json` run record in `dir` (a missing directory holds no runs). With `since`, runs
 * recorded before that time (left over from an earlier Jest run) are skipped. Never throws.
 */
export async function readRuns(dir: string, options: { since?: Date } = {}): Promise<ReadRunsResult> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { runs: [], errors: [] };
    return {
      runs: [],
      errors: [
        failure(`read journey runs from "${dir}"`, errorMessage(error), 'Check the directory and its permissions.'),
      ],
    };
  }
  const runs: JourneyRun[] = [];
  const errors: string[] = [];
  for (const name of names) {
    const file = join(dir, name);
    const read = await readTextFile(file);
    if (!read.ok) {
      errors.push(failure(`read a journey run from "${file}"`, read.message, 'Check the file and its permissions.'));
      continue;
    }
    const parsed = parseJourneyRun(read.value, file);
    if (!parsed.ok) errors.push(parsed.message);
    else if (!options.since || Date.parse(parsed.value.recordedAt) >= options.since.getTime()) runs.push(parsed.value);
  }
  return { runs, errors };
}
