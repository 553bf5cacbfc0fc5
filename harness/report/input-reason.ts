import type { Failure } from '../internal/result';

/**
 * Why a report input (a journeys file, a run record, a coverage.json) or a report write is refused, a stable
 * word beside the message (`harness/internal/result.ts`):
 *
 * - `not-found`, `unreadable`: the file is not there, or cannot be read;
 * - `not-json`: a JSON syntax error;
 * - `invalid-schema`: a field is missing or of the wrong shape (the message names its path);
 * - `duplicate-journey`, `no-hop`, `repeated-service`: a journeys file declares a name twice, a journey with
 *   nothing to check, or a chain that names a service twice;
 * - `no-inputs`, `conflicting-journeys`: a merge without coverage files, or shards whose chains disagree;
 * - `write-failed`: the reports could not be written.
 */
export type ReportInputReason =
  | 'not-found'
  | 'unreadable'
  | 'not-json'
  | 'invalid-schema'
  | 'duplicate-journey'
  | 'no-hop'
  | 'repeated-service'
  | 'no-inputs'
  | 'conflicting-journeys'
  | 'write-failed';

/** A refused report input: a reason of {@link ReportInputReason} and the message. */
export type ReportInputFailure = Failure<ReportInputReason>;
