import { failure } from '../internal/messages';
import { EXIT_UNUSABLE, type CliIo } from './io';

/** `tracehop check [--expect svc1,svc2,...] [--json] FILE...` (placeholder until the verifier lands). */
export async function runCheck(_args: readonly string[], io: CliIo): Promise<number> {
  io.stderr(`${failure('check', 'the verifier is not built yet')}\n`);
  return EXIT_UNUSABLE;
}
