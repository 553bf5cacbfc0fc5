import { errorMessage } from '../../../internal/result';

/** First line of an error's message, without a trailing period, for "Failed to <action>: <cause>." text. */
export function causeOf(error: unknown): string {
  const text = errorMessage(error);
  const first = (text.split('\n')[0] ?? text).trim();
  return first.replace(/\.$/, '');
}
