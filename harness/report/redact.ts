import type { Attributes, CapturedRequest, HeaderEntry, Span } from '../model';
import type { Problem } from '../verify';

/** Headers that carry credentials: never written to any artifact. */
export const DEFAULT_REDACTED_HEADERS: readonly string[] = [
  'authorization',
  'cookie',
  'set-cookie',
  'proxy-authorization',
  'x-api-key',
];

/** What a redacted value is replaced with. */
export const REDACTED = '[redacted]';

// OpenTelemetry semantic conventions record captured headers as span attributes under these prefixes.
const HEADER_ATTRIBUTE = /^(?:http\.(?:request|response)\.header\.)(.+)$/;

/** A redaction policy: the default credential headers plus any configured names (case-insensitive). */
export interface Redactor {
  readonly names: readonly string[];
  readonly headers: (headers: readonly HeaderEntry[]) => HeaderEntry[];
  readonly capture: (capture: CapturedRequest) => CapturedRequest;
  readonly span: (span: Span) => Span;
  /** The values secret headers carried in these captures, to scrub from free text (longest first). */
  readonly secretValues: (captures: readonly CapturedRequest[]) => string[];
  /** `text` with each of `values` replaced by the redaction mark. */
  readonly text: (text: string, values: readonly string[]) => string;
  /**
   * A problem fit for an artifact: the value of a secret header it names is redacted, and `values` (see
   * secretValues) are scrubbed from its message and header value, as a check may quote what it saw.
   */
  readonly problem: (problem: Problem, values: readonly string[]) => Problem;
}

/** Builds a redactor for the default credential headers plus `extra` header names. */
export function createRedactor(extra: readonly string[] = []): Redactor {
  const names = [...new Set([...DEFAULT_REDACTED_HEADERS, ...extra.map((name) => name.trim().toLowerCase())])].filter(
    Boolean,
  );
  const secret = new Set(names);
  const isSecret = (name: string): boolean =>
    secret.has(name.toLowerCase()) || secret.has(name.toLowerCase().replace(/_/g, '-'));

  const headers = (entries: readonly HeaderEntry[]): HeaderEntry[] =>
    entries.map(([name, value]) => (isSecret(name) ? [name, REDACTED] : [name, value]) as HeaderEntry);

  const attributes = (input: Attributes): Attributes => {
    const output: Attributes = {};
    for (const [key, value] of Object.entries(input)) {
      const header = HEADER_ATTRIBUTE.exec(key)?.[1];
      output[key] = header !== undefined && isSecret(header) ? REDACTED : value;
    }
    return output;
  };

  const secretValues = (captures: readonly CapturedRequest[]): string[] => {
    const values = new Set<string>();
    for (const capture of captures)
      for (const [name, value] of capture.headers)
        if (isSecret(name) && value !== '' && value !== REDACTED) values.add(value);
    return [...values].sort((a, b) => b.length - a.length);
  };
  const text = (input: string, values: readonly string[]): string =>
    values.reduce((out, value) => out.split(value).join(REDACTED), input);
  const problem = (input: Problem, values: readonly string[]): Problem => {
    const message = text(input.message, values);
    if (!('headerValue' in input)) return message === input.message ? input : { ...input, message };
    return { ...input, message, headerValue: isSecret(input.header) ? REDACTED : text(input.headerValue, values) };
  };

  return {
    names,
    headers,
    capture: (capture) => ({ ...capture, headers: headers(capture.headers) }),
    span: (span) => ({ ...span, attributes: attributes(span.attributes) }),
    secretValues,
    text,
    problem,
  };
}
