import { asTraceId } from '../../model';
import { FragmentClaims, type FragmentOffer } from './fragment-claims';

const FRAGMENT = asTraceId('f'.repeat(32));

/** A call in flight when the fragment started, of run `run` (a trace id's first hex digit), fitting by `fitMs`. */
const inFlight = (run: string, fitMs: number): FragmentOffer => ({
  run: asTraceId(run.repeat(32)),
  linked: false,
  firm: true,
  fitMs,
  callStartMs: 0,
  inFlight: 1,
});

describe('FragmentClaims', () => {
  it("names the holder stale when another journey's offer beats it, or other journeys' runs in flight change", () => {
    const claims = new FragmentClaims();
    // checkout holds the fragment; offline-replay, judged later, fits it less tightly: checkout's message must
    // now say that a replay's call was in flight too.
    const first = claims.offer(FRAGMENT, 'checkout', inFlight('a', 2));
    const beaten = claims.offer(FRAGMENT, 'offline-replay', inFlight('b', 10));
    const afterReplay = claims.stale();
    claims.release('checkout');
    const again = claims.offer(FRAGMENT, 'checkout', inFlight('a', 2));
    const settled = claims.stale();
    // The replay no longer offers; a reorder's run does, as loosely: as many runs in flight, another journey.
    claims.release('offline-replay');
    const reorder = claims.offer(FRAGMENT, 'reorder', inFlight('c', 10));
    const afterReorder = claims.stale();
    // A tighter fit of reorder's takes it over: checkout read a win that no longer holds.
    claims.release('reorder');
    claims.offer(FRAGMENT, 'reorder', inFlight('c', 1));
    expect([first, beaten, afterReplay, again, settled, reorder, afterReorder, claims.stale()]).toEqual([
      { runs: 0, journeys: [] },
      undefined,
      ['checkout'],
      { runs: 1, journeys: ['offline-replay'] },
      [],
      undefined,
      ['checkout'],
      ['checkout'],
    ]);
  });

  it("gives the fragment to the run the hop's start-order pairing gave it, over a tighter fit of another journey", () => {
    // Every journey pairs the hop's fragments with every journey's calls at once (HopPairs): the run paired with
    // the fragment holds it, whichever journey offers first; one tied only by its tighter fit does not.
    const paired: FragmentOffer = { ...inFlight('a', 9), paired: true };
    const holders = [
      [
        ['checkout', paired],
        ['offline-replay', inFlight('b', 1)],
      ],
      [
        ['offline-replay', inFlight('b', 1)],
        ['checkout', paired],
      ],
    ].map((order) => {
      const claims = new FragmentClaims();
      for (const [journey, offer] of order as Array<[string, FragmentOffer]>) claims.offer(FRAGMENT, journey, offer);
      return claims.holder(FRAGMENT);
    });
    expect(holders).toEqual([
      { journey: 'checkout', run: asTraceId('a'.repeat(32)), linked: false },
      { journey: 'checkout', run: asTraceId('a'.repeat(32)), linked: false },
    ]);
  });

  it('breaks an even fit by the earlier call, then the lower run trace id, whatever journey offers first', () => {
    const outcomes = (order: ReadonlyArray<[string, FragmentOffer]>) => {
      const claims = new FragmentClaims();
      for (const [journey, offer] of order) claims.offer(FRAGMENT, journey, offer);
      for (const journey of claims.stale()) {
        claims.release(journey);
        const offer = order.find(([name]) => name === journey)?.[1] as FragmentOffer;
        claims.offer(FRAGMENT, journey, offer);
      }
      return order.map(([journey, offer]) => [journey, claims.offer(FRAGMENT, journey, offer) !== undefined]).sort();
    };
    const early: [string, FragmentOffer] = ['checkout', { ...inFlight('b', 4), callStartMs: 1 }];
    const late: [string, FragmentOffer] = ['offline-replay', { ...inFlight('a', 4), callStartMs: 2 }];
    const lowId: [string, FragmentOffer] = ['offline-replay', { ...inFlight('a', 4), callStartMs: 1 }];
    expect([
      outcomes([early, late]),
      outcomes([late, early]),
      outcomes([early, lowId]),
      outcomes([lowId, early]),
    ]).toEqual([
      [
        ['checkout', true],
        ['offline-replay', false],
      ],
      [
        ['checkout', true],
        ['offline-replay', false],
      ],
      [
        ['checkout', false],
        ['offline-replay', true],
      ],
      [
        ['checkout', false],
        ['offline-replay', true],
      ],
    ]);
  });
});
