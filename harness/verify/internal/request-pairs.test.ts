import { pairRequests, type RequestCandidate } from './request-pairs';

/** Candidates as [request, run, rank, fit]. */
const candidates = (rows: Array<[string, string, number, number]>): Array<RequestCandidate<string, string>> =>
  rows.map(([request, journey, rank, fit]) => ({ request, journey, rank, fit }));

/** The pairs made as [request, run, alike], by request. */
const pairs = (rows: Array<[string, string, number, number]>): Array<[string, string, number]> =>
  pairRequests(candidates(rows))
    .map(({ request, journey, alike }): [string, string, number] => [request, journey, alike])
    .sort((a, b) => a[0].localeCompare(b[0]));

describe('pairRequests', () => {
  it('gives a request the one run it fits at a rank, though another request fits that run more tightly', () => {
    // r1 fits A and B alike (A more tightly: 33 vs 37); r2 fits only A at that rank (B less surely).
    expect(
      pairs([
        ['r1', 'A', 3, 33],
        ['r1', 'B', 3, 37],
        ['r2', 'A', 3, 34],
        ['r2', 'B', 1, 50],
      ]),
    ).toEqual([
      ['r1', 'B', 0],
      ['r2', 'A', 0],
    ]);
  });

  it('pairs the tightest fits first, and calls a pair whose request could swap runs with another a guess', () => {
    expect(
      pairs([
        ['r1', 'A', 3, 5],
        ['r1', 'B', 3, 9],
        ['r2', 'A', 3, 8],
        ['r2', 'B', 3, 6],
      ]),
    ).toEqual([
      ['r1', 'A', 1],
      ['r2', 'B', 1],
    ]);
  });

  it('keeps a surer pair over a tighter one, and counts a run left unpaired that fits as surely', () => {
    expect(
      pairs([
        ['r1', 'A', 2, 1],
        ['r1', 'B', 3, 40],
        ['r1', 'C', 3, 50],
      ]),
    ).toEqual([['r1', 'B', 1]]);
  });
});
