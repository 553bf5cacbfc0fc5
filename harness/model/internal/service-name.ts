import { intern } from './intern';

/**
 * Whether a terminal or a CI log acts on the character rather than shows it: C0 and C1 controls (ESC starts
 * colour and cursor sequences; CR and LF start lines), and the line separators and bidirectional overrides
 * that reorder text.
 */
function unprintable(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/**
 * The service a span is named by, from its resource's `service.name` (or a format's own field):
 * "unknown_service" when there is none, and characters a terminal would act on written as `\uXXXX`, so a
 * name from a dump cannot colour, move or forge lines of tracehop's output. Pooled.
 */
export function serviceNameOf(name: unknown): string {
  if (typeof name !== 'string' || name === '') return 'unknown_service';
  let shown: string | undefined;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (!unprintable(code)) continue;
    shown ??= name.slice(0, i);
    shown += `\\u${code.toString(16).padStart(4, '0')}`;
    for (i++; i < name.length; i++) {
      const next = name.charCodeAt(i);
      shown += unprintable(next) ? `\\u${next.toString(16).padStart(4, '0')}` : name.charAt(i);
    }
  }
  return intern(shown ?? name);
}
