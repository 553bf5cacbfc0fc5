import { failure } from '../internal/messages';
import { EXIT_UNUSABLE, type CliIo } from './io';

/** `tracehop report ...` (placeholder until the coverage reports land). */
export async function runReport(_args: readonly string[], io: CliIo): Promise<number> {
  io.stderr(`${failure('report', 'coverage reports are not built yet')}\n`);
  return EXIT_UNUSABLE;
}
