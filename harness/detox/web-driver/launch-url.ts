/** Launch-arg values as Detox passes them: strings, numbers, booleans or JSON-able objects. */
export type LaunchArgs = Readonly<Record<string, unknown>>;

/**
 * The page URL for one launch: every launch arg becomes a query parameter (objects as JSON), except
 * Detox's own `detox*` args, which only a native Detox client understands.
 */
export function launchUrl(base: string, launchArgs: LaunchArgs): string {
  const url = new URL(base);
  for (const [key, value] of Object.entries(launchArgs)) {
    if (key.startsWith('detox') || value === undefined || value === null) continue;
    url.searchParams.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return url.toString();
}
