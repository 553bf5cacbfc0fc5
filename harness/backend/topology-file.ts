/** Reading a topology JSON file from disk, for `tracehop serve --topology` and the Detox environment. */
import { failure } from '../internal/messages';
import { readTextFile, type Failure, type ReadFileReason } from '../internal/result';
import { parseTopologyText, type TopologyResult } from './topology';

/** What each failure of a topology file tells the user to do. */
export interface TopologyFileHints {
  /** When the file does not exist (where the path was read from, how to do without it). */
  readonly missing: string;
  /** When it cannot be read, is not JSON or is no valid topology. */
  readonly invalid: string;
}

/**
 * Reads and validates the topology file at `path`; `label` names it in messages (the path as the user wrote
 * it). Never throws.
 * @example await readTopologyFile(resolve(cwd, file), file, { missing: 'Pass an existing file.', invalid: 'Fix the file.' })
 */
export async function readTopologyFile(
  path: string,
  label: string,
  hints: TopologyFileHints,
): Promise<TopologyResult | Failure<ReadFileReason>> {
  const read = await readTextFile(path);
  if (!read.ok) {
    const hint = read.reason === 'not-found' ? hints.missing : hints.invalid;
    return { ok: false, reason: read.reason, message: failure(`read the topology "${label}"`, read.message, hint) };
  }
  return parseTopologyText(read.value, label, hints.invalid);
}
