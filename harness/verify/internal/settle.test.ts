import { judgeUntilSettled, MAX_ROUNDS, unsettledNote, type SharedClaims } from './settle';

const JOURNEYS = [{ name: 'checkout' }, { name: 'offline-replay' }, { name: 'reorder' }];

/** Claims whose stale journeys are `rounds` in turn, the last one for good; `released` records each release. */
function claimsOf(rounds: readonly string[][]): SharedClaims & { released: string[] } {
  let asked = 0;
  const released: string[] = [];
  return {
    released,
    stale: () => [...(rounds[Math.min(asked++, rounds.length - 1)] ?? [])],
    release: (journey) => void released.push(journey),
  };
}

describe('judgeUntilSettled', () => {
  it('judges the stale journeys again until none is, and then names none', () => {
    const claims = claimsOf([['checkout'], ['offline-replay', 'reorder'], []]);
    const judged: string[] = [];
    const unsettled = judgeUntilSettled(JOURNEYS, claims, (journey) => void judged.push(journey.name));
    expect([unsettled, judged, claims.released]).toEqual([
      [],
      ['checkout', 'offline-replay', 'reorder'],
      ['checkout', 'offline-replay', 'reorder'],
    ]);
  });

  it('stops after the last round and names the journeys still stale, never silently', () => {
    // Two journeys that take a request from each other round after round.
    const claims = claimsOf([['checkout', 'reorder']]);
    const judged: string[] = [];
    const unsettled = judgeUntilSettled(JOURNEYS, claims, (journey) => void judged.push(journey.name), 3);
    expect([unsettled, judged]).toEqual([
      ['checkout', 'reorder'],
      ['checkout', 'reorder', 'checkout', 'reorder', 'checkout', 'reorder'],
    ]);
  });

  it('says which journeys did not settle, after how many rounds, and what that means', () => {
    expect([MAX_ROUNDS, unsettledNote(['checkout', 'reorder'])]).toEqual([
      8,
      {
        journeys: ['checkout', 'reorder'],
        message:
          'Note: which run some new traces naming no journey were tied to did not settle after 8 rounds of judging the journeys again (journeys checkout, reorder still read claims that no longer held), so those ties may depend on the order the journeys file lists the journeys in. Read the runs of those journeys whose pairing the messages call a guess with care, and report the dump: it is a tracehop bug.',
      },
    ]);
  });
});
