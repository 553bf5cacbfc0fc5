import { actsOnTerminal, escapedCode } from '../../internal/terminal-text';
import { intern } from './intern';

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
    if (!actsOnTerminal(code)) continue;
    shown ??= name.slice(0, i);
    shown += escapedCode(code);
    for (i++; i < name.length; i++) {
      const next = name.charCodeAt(i);
      shown += actsOnTerminal(next) ? escapedCode(next) : name.charAt(i);
    }
  }
  return intern(shown ?? name);
}
