import type { JourneyCoverage } from '../coverage-report';

/** A clock distance for people: milliseconds below a second, else seconds to a tenth. */
export const clockDistance = (ms: number): string =>
  ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;

/**
 * "mobile-app's clock ran about 5.0 s behind the backend's", for a reported run whose app clock was off the
 * backend's; undefined when it was not, or when nothing could tell (no capture log, never run).
 */
export function appClockPhrase(journey: JourneyCoverage): string | undefined {
  const offset = journey.appClockOffsetMs;
  if (offset === null || offset === 0) return undefined;
  const app = journey.chain[0] ?? 'the app';
  return `${app}'s clock ran about ${clockDistance(Math.abs(offset))} ${offset > 0 ? 'behind' : 'ahead of'} the backend's`;
}
