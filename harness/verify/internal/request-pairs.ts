/**
 * Pairs the app's requests sent from new traces with the journey runs that may have sent them (tieStrayRequests,
 * stray-requests.ts): one request a run, the surest pairs first.
 */

/** One run a request may have left: how surely (`rank`, higher first) and how tightly (`fit`, lower first). */
export interface RequestCandidate<Request, Journey> {
  readonly request: Request;
  readonly journey: Journey;
  readonly rank: number;
  readonly fit: number;
}

/** A pair made, and how many other runs fit its request as well (which run it left is a guess then). */
export interface RequestPair<Request, Journey> extends RequestCandidate<Request, Journey> {
  readonly alike: number;
}

/**
 * Pairs requests with runs, each at most once: rank by rank from the surest, the tightest fits first, then as
 * many more pairs of the rank as can be made (a request that only one run fits at a rank gets it, though a request
 * that fits others too fitted it more tightly). A pair's `alike` counts the other runs that fit its request as
 * surely and were left unpaired, or whose own request fits this pair's run as surely too (the two could swap),
 * of the runs `counted` (all by default).
 */
export function pairRequests<Request, Journey>(
  candidates: ReadonlyArray<RequestCandidate<Request, Journey>>,
  counted: (journey: Journey) => boolean = () => true,
): Array<RequestPair<Request, Journey>> {
  type Candidate = RequestCandidate<Request, Journey>;
  const byRequest = new Map<Request, Candidate[]>();
  for (const candidate of candidates) {
    const list = byRequest.get(candidate.request);
    if (list) list.push(candidate);
    else byRequest.set(candidate.request, [candidate]);
  }
  for (const list of byRequest.values()) list.sort((a, b) => a.fit - b.fit);
  const ofJourney = new Map<Journey, Candidate>();
  const ofRequest = new Map<Request, Candidate>();
  const ranks = [...new Set(candidates.map((candidate) => candidate.rank))].sort((a, b) => b - a);
  for (const rank of ranks) {
    // Kuhn's augmenting paths within the rank: a run taken at this rank may move its request to another run
    // of the same rank; a run taken at a surer rank stays.
    const augment = (request: Request, seen: Set<Journey>): boolean => {
      for (const candidate of byRequest.get(request) ?? []) {
        if (candidate.rank !== rank || seen.has(candidate.journey)) continue;
        seen.add(candidate.journey);
        const holder = ofJourney.get(candidate.journey);
        if (holder && (holder.rank !== rank || !augment(holder.request, seen))) continue;
        ofJourney.set(candidate.journey, candidate);
        ofRequest.set(request, candidate);
        return true;
      }
      return false;
    };
    // The tightest pairs first, each request and run once; then a request left out takes a run over from
    // another request that can move to a run still free (an augmenting path), so no request that fits a run
    // at this rank is left without one while another could have done without it.
    const open = candidates
      .filter((candidate) => candidate.rank === rank && !ofRequest.has(candidate.request))
      .sort((a, b) => a.fit - b.fit);
    for (const candidate of open) {
      if (ofRequest.has(candidate.request) || ofJourney.has(candidate.journey)) continue;
      ofJourney.set(candidate.journey, candidate);
      ofRequest.set(candidate.request, candidate);
    }
    for (const { request } of open) if (!ofRequest.has(request)) augment(request, new Set());
  }
  const pairs: Array<RequestPair<Request, Journey>> = [];
  for (const pair of ofRequest.values()) {
    let alike = 0;
    for (const other of byRequest.get(pair.request) ?? []) {
      if (other.journey === pair.journey || other.rank < pair.rank || !counted(other.journey)) continue;
      const holder = ofJourney.get(other.journey);
      if (!holder) {
        alike += 1;
        continue;
      }
      const swaps = (byRequest.get(holder.request) ?? []).some(
        (candidate) => candidate.journey === pair.journey && candidate.rank >= holder.rank,
      );
      if (swaps) alike += 1;
    }
    pairs.push({ ...pair, alike });
  }
  return pairs;
}
