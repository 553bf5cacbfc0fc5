import { asTraceId } from '../../model';
import { HopPairs, inFlightByFragment, type HopPair } from './hop-pairs';

const HOP = 'api-gateway>payment-api';

/** A pair of fragment `fragment` with run `run`'s call (a trace id's first hex digit) of `journey`. */
const pair = (journey: string, run: string, fragment: string, slack: number): HopPair => ({
  fragment,
  call: `${run}:call`,
  run: asTraceId(run.repeat(32)),
  journey,
  fragmentStartMs: 0,
  slack,
  callStartMs: 0,
  order: 0,
});

describe('HopPairs', () => {
  it("pairs every journey's pairs tightest first, and names a journey stale when its pairing would change", () => {
    const pairs = new HopPairs();
    // checkout is judged first and keeps f1; the replay's call, judged later, fits f1 more tightly.
    const first = pairs.pairAt('checkout', HOP, [pair('checkout', 'a', 'f1', 4)]);
    const replay = pairs.pairAt('offline-replay', HOP, [pair('offline-replay', 'b', 'f1', 2)]);
    const afterReplay = pairs.stale();
    // checkout judged again keeps nothing and sees the replay's run in flight; the replay's pairing holds.
    pairs.release('checkout');
    const again = pairs.pairAt('checkout', HOP, [pair('checkout', 'a', 'f1', 4)]);
    const settled = pairs.stale();
    // A reorder's run pairs with another fragment and call: nobody's pairing changes.
    pairs.pairAt('reorder', HOP, [pair('reorder', 'c', 'f2', 1)]);
    expect([first, replay, afterReplay, again, settled, pairs.stale()]).toEqual([
      { kept: [0], made: [], inFlight: new Map() },
      { kept: [0], made: [], inFlight: new Map([['f1', { runs: 1, journeys: ['checkout'] }]]) },
      ['checkout'],
      { kept: [], made: [], inFlight: new Map([['f1', { runs: 1, journeys: ['offline-replay'] }]]) },
      [],
      [],
    ]);
  });

  it("counts the other journeys' runs with a call running when each fragment started, journeys by name", () => {
    const found = inFlightByFragment([
      pair('reorder', 'c', 'f1', 3),
      pair('offline-replay', 'b', 'f1', 9),
      pair('reorder', 'd', 'f1', 5),
      pair('reorder', 'd', 'f2', 1),
    ]);
    expect(Object.fromEntries(found)).toEqual({
      f1: { runs: 3, journeys: ['offline-replay', 'reorder'] },
      f2: { runs: 1, journeys: ['reorder'] },
    });
  });
});
