/**
 * The status message a span keeps (Span.statusMessage): `message` when the status is ERROR (code 2) and the
 * message is a non-empty string; undefined otherwise, so spans that did not fail carry no message.
 */
export function errorStatusMessage(code: number | undefined, message: unknown): string | undefined {
  return code === 2 && typeof message === 'string' && message !== '' ? message : undefined;
}
