/**
 * The one formatter for user-facing text. Every message reads
 * "Failed to <action>: <cause>. <what to do>." and gets the prefix exactly once, here.
 */
export const PREFIX = '[tracehop]';

/** Adds the prefix once (a message that already has it is returned unchanged). */
export function format(message: string): string {
  return message.startsWith(`${PREFIX} `) ? message : `${PREFIX} ${message}`;
}

/** "Failed to <action>: <cause>. <hint>" with the prefix. `hint` is optional. */
export function failure(action: string, cause: string, hint?: string): string {
  const body = `Failed to ${action}: ${cause}.`;
  return format(hint ? `${body} ${hint}` : body);
}

/** An error whose message is already user-facing (prefixed). Thrown only inside our own boundaries. */
export class TracehopError extends Error {
  constructor(message: string) {
    super(format(message));
    this.name = 'TracehopError';
  }
}
