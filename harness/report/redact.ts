import type { CapturedRequest, HeaderEntry } from '../model/capture';
import type { Attributes, Span } from '../model/span';

/** Headers that carry credentials: never written to any artifact. */
export const DEFAULT_REDACTED_HEADERS: readonly string[] = ['authorization', 'cookie', 'set-cookie', 'proxy-authorization', 'x-api-key'];

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
}

/** Builds a redactor for the default credential headers plus `extra` header names. */
export function createRedactor(extra: readonly string[] = []): Redactor {
  const names = [...new Set([...DEFAULT_REDACTED_HEADERS, ...extra.map((name) => name.trim().toLowerCase())])].filter(Boolean);
  const secret = new Set(names);
  const isSecret = (name: string): boolean => secret.has(name.toLowerCase()) || secret.has(name.toLowerCase().replace(/_/g, '-'));

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

  return {
    names,
    headers,
    capture: (capture) => ({ ...capture, headers: headers(capture.headers) }),
    span: (span) => ({ ...span, attributes: attributes(span.attributes) }),
  };
}
