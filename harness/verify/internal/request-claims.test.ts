import { asTraceId } from '../../model';
import { RequestClaims, type RequestOption } from './request-claims';

const REQUEST = asTraceId('f'.repeat(32));

/** Run `run` (a trace id's first hex digit) of `journey`, whose journey span ran when the request started. */
const option = (journey: string, run: string, fit: number): RequestOption => ({
  request: REQUEST,
  run: asTraceId(run.repeat(32)),
  journey,
  rank: 2,
  fit,
});

describe('RequestClaims', () => {
  it("pairs a request with every journey's runs at once, and names a journey stale when its pairing would change", () => {
    const claims = new RequestClaims();
    // checkout is judged first and takes the request; the replay's run, judged later, fits it more tightly.
    const first = claims.pairAt('checkout', [option('checkout', 'a', 5)]);
    const replay = claims.pairAt('offline-replay', [option('offline-replay', 'b', 2)]);
    const afterReplay = claims.stale();
    claims.release('checkout');
    const again = claims.pairAt('checkout', [option('checkout', 'a', 5)]);
    expect([first, replay, afterReplay, again, claims.stale()]).toEqual([
      { kept: [{ index: 0, alike: 0 }], elsewhere: new Set(), inFlight: new Map() },
      {
        kept: [{ index: 0, alike: 0 }],
        elsewhere: new Set(),
        inFlight: new Map([[REQUEST, { runs: 1, journeys: ['checkout'] }]]),
      },
      ['checkout'],
      {
        kept: [],
        elsewhere: new Set([REQUEST]),
        inFlight: new Map([[REQUEST, { runs: 1, journeys: ['offline-replay'] }]]),
      },
      [],
    ]);
  });
});
