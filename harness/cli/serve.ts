import { failure } from '../internal/messages';
import { EXIT_UNUSABLE, type CliIo } from './io';

/** `tracehop serve [--topology FILE] [--faults LIST]` (placeholder until the backend lands). */
export async function runServe(_args: readonly string[], io: CliIo): Promise<number> {
  io.stderr(`${failure('serve', 'the mock backend is not built yet')}\n`);
  return EXIT_UNUSABLE;
}
