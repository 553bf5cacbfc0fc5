import { makeSpan } from '../../model/test-support/make-span';
import type { Span } from '../../model';
import { calleeAheadMs } from './callee-clock';

/** A CLIENT span and the SERVER span that answered it, each [start, end]. */
const call = (client: [number, number], server: [number, number]): [Span, Span] => [
  makeSpan({ id: 'c', kind: 'client', start: client[0], end: client[1] }),
  makeSpan({ id: 's', kind: 'server', start: server[0], end: server[1] }),
];

describe('calleeAheadMs', () => {
  it('is 0 without calls, and the median of the calls when they prove nothing against it', () => {
    // A callee 50 ms ahead: each server starts 51 ms after its client on the caller's clock, ends 49 before.
    const ahead = [call([0, 10], [51, 59]), call([100, 120], [151, 169]), call([200, 204], [251, 253])];
    expect([calleeAheadMs([]), calleeAheadMs(ahead)]).toEqual([0, 50]);
  });

  it('keeps the median within what the calls prove: no callee starts before its call started', () => {
    // Real OpenTelemetry JS spans on one host (test/check/real-sdk): servers that end milliseconds after their
    // client read the answer make the median 1.5; a server starting in the same ms as its call proves at most 0.
    const calls = [call([0, 1.3], [1, 4.7]), call([10, 15.5], [11, 18.3]), call([20, 23], [20, 23.1])];
    expect(calleeAheadMs(calls)).toBe(0);
  });

  it('takes the middle of bounds that cross within a millisecond, and the median when they cross further', () => {
    // A server starting 0.5 ms after its client's recorded end (the end read early) against one starting in
    // the same ms as its call: between 0.5 and 0. Bounds 5 ms apart: a clock that moved, the median of 6.5
    // and -0.5.
    const close = [call([0, 2.5], [3, 3.4]), call([10, 20], [10, 19])];
    const far = [call([0, 2], [7, 8]), call([10, 20], [10, 19])];
    expect([calleeAheadMs(close), calleeAheadMs(far)]).toEqual([0.25, 3]);
  });
});
