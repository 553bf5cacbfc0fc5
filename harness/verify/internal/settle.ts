/**
 * Judging journeys that share a chain again until what each read of the others' claims holds (see
 * FragmentClaims.stale), a bounded number of rounds: verifySpans says so when they run out unsettled.
 */

/** Journeys whose judgement had not settled when the rounds of judging again ran out (see Verdict.unsettled). */
export interface UnsettledJourneys {
  readonly journeys: readonly string[];
  readonly message: string;
}

/** What {@link judgeUntilSettled} needs of the claims the journeys share (FragmentClaims). */
export interface SharedClaims {
  /** The journeys whose judgement read what no longer holds, by name. */
  stale(): string[];
  /** Forgets what a journey offered and read: it is about to be judged again. */
  release(journey: string): void;
}

/** Rounds of judging journeys again until the shared claims settle. */
export const MAX_ROUNDS = 8;

/**
 * Judges each stale journey of `journeys` again (`judge`), round after round, until none is or `maxRounds`
 * rounds ran: the journeys still stale then (none when settled), by name.
 */
export function judgeUntilSettled<Journey extends { readonly name: string }>(
  journeys: readonly Journey[],
  claims: SharedClaims,
  judge: (journey: Journey) => void,
  maxRounds = MAX_ROUNDS,
): string[] {
  for (let round = 0; round < maxRounds; round++) {
    const names = new Set(claims.stale());
    const stale = journeys.filter((journey) => names.has(journey.name));
    if (stale.length === 0) return [];
    for (const journey of stale) {
      claims.release(journey.name);
      judge(journey);
    }
  }
  const names = new Set(claims.stale());
  return journeys.filter((journey) => names.has(journey.name)).map((journey) => journey.name);
}

/** The note on journeys still unsettled when the rounds ran out (see Verdict.unsettled). */
export function unsettledNote(journeys: readonly string[], rounds = MAX_ROUNDS): UnsettledJourneys {
  const named = `${journeys.length === 1 ? 'journey' : 'journeys'} ${journeys.join(', ')}`;
  return {
    journeys,
    message:
      `Note: which run some new traces naming no journey were tied to did not settle after ${rounds} rounds of judging the journeys again (${named} still read claims that no longer held), ` +
      'so those ties may depend on the order the journeys file lists the journeys in. Read the runs of those journeys whose pairing the messages call a guess with care, and report the dump: it is a tracehop bug.',
  };
}
