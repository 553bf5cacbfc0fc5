import { makeSpan } from '../../model/test-support/make-span';
import { asTraceId, type Span } from '../../model';
import { CallIndex } from './call-index';
import { runningAt } from './callee-clock';
import { HopPairs, type HopPair } from './hop-pairs';
import type { AlikeBlock } from './start-order-pairing';
import { seededRandom } from '../../test-support/seeded-random';

const call = (id: string, start: number, end: number): Span => makeSpan({ id, kind: 'client', start, end });
const fragment = (start: number): Span => makeSpan({ id: 'f', kind: 'server', start, end: start + 1 });

/** An index of calls on route "/pay", each owned by the run named like the call. */
function indexOf(calls: readonly Span[]): CallIndex<string> {
  const index = new CallIndex<string>();
  for (const c of calls) index.add(c.spanId.slice(0, 2), c, ['/pay', '/pay']);
  return index;
}

const owner = (index: CallIndex<string>, at: number, keys = ['/pay']) => {
  const tie = index.closest(fragment(at), keys);
  return tie && [tie.owner, tie.alike];
};

describe('CallIndex.closest', () => {
  it('prefers a call running when the fragment started, the latest started of them, over a nearer finished one', () => {
    const index = indexOf([call('a1', 0, 100), call('b1', 40, 60), call('c1', 50, 90), call('d1', 69, 70)]);
    // At 72: a1 and c1 are running (c1 started later; both outlast the fragment, so a1 fits as well), d1
    // finished 2 ms before and b1 earlier.
    expect(owner(index, 72)).toEqual(['c1', 1]);
  });

  it('counts a call as running within the millisecond span times are stamped in, at either end', () => {
    // OpenTelemetry JS stamps starts in whole ms: a fragment the clock offset puts 0.4 ms before a call's
    // start, or 0.6 ms after its recorded end, started while it ran; 1.5 ms before, it did not.
    const index = indexOf([call('a1', 10, 20), call('b1', 40, 50)]);
    const tie = (start: number, offset: number) => {
      const found = index.closest(makeSpan({ id: 'f', kind: 'server', start, end: start + 1 }), ['/pay'], offset);
      return found && [found.owner, found.alike];
    };
    expect([tie(10, 0.4), tie(50.6, 0), tie(38.5, 0)]).toEqual([
      ['a1', 0],
      ['b1', 0],
      ['b1', 0],
    ]);
    const paired = index.pairUp(
      [{ span: makeSpan({ id: 'f', kind: 'server', start: 10, end: 19 }), keys: ['/pay'] }],
      0.4,
    );
    expect([...paired.values()].map((found) => [found.owner, found.alike])).toEqual([['a1', 0]]);
    expect([
      runningAt(call('c1', 10, 20), 9.6),
      runningAt(call('c1', 10, 20), 20.9),
      runningAt(call('c1', 10, 20), 8.5),
    ]).toEqual([true, true, false]);
  });

  it('takes the running call that fits the fragment tightest, start to start and end to end', () => {
    // Runs in flight at once, the fragment 3207-3408.6 (a reviewer's dump): b1 started 91 ms before it and
    // ended 4.7 ms after it; c1 started later but ended 58 ms before it, a1 long before.
    const index = indexOf([call('a1', 3015, 3258.4), call('c1', 3058, 3350.5), call('b1', 3116, 3413.3)]);
    const tie = index.closest(makeSpan({ id: 'f', kind: 'server', start: 3207, end: 3408.6 }), ['/pay']);
    expect(tie && [tie.owner, tie.alike]).toEqual(['b1', 2]);
  });

  it('pairs the fragments of a hop with calls in start order, so an early fragment leaves a later one its call', () => {
    // f1 started first; alone it would take b1 (tighter for it than a1), but in start order it answers a1.
    // b1 fits f1 by 5 + 10 ms and f2 by 10 + 1 ms; a1 fits either by about 70 ms.
    const index = indexOf([call('a1', 0, 100), call('b1', 15, 60)]);
    const f1 = makeSpan({ id: 'f1', kind: 'server', start: 20, end: 50 });
    const f2 = makeSpan({ id: 'f2', kind: 'server', start: 25, end: 59 });
    const paired = index.pairUp([
      { span: f1, keys: ['/pay'] },
      { span: f2, keys: ['/pay'] },
    ]);
    expect([paired.get(f1), paired.get(f2)].map((tie) => tie && [tie.owner, tie.alike])).toEqual([
      ['a1', 1],
      ['b1', 1],
    ]);
    expect(index.closest(f1, ['/pay'])?.owner).toBe('b1');
  });

  it('pairs in start order where the tightest fit first would cross the pairs', () => {
    // Three calls 2 ms apart, each answered 1 to 3 ms later, the callees ending out of order: tightest first,
    // f2 would take c1 (1 + 2.5 ms), f1 b1 (1 + 4) and f3 a1 (6 + 0). In start order each answers its own.
    // Every call ran when each fragment started: two rivals each.
    const index = indexOf([call('a1', 0, 50), call('b1', 2, 48), call('c1', 4, 52)]);
    const f1 = makeSpan({ id: 'f1', kind: 'server', start: 3, end: 44 });
    const f2 = makeSpan({ id: 'f2', kind: 'server', start: 5, end: 49.5 });
    const f3 = makeSpan({ id: 'f3', kind: 'server', start: 6, end: 50 });
    const fragments = [f3, f1, f2].map((span) => ({ span, keys: ['/pay'] }));
    const paired = index.pairUp(fragments);
    expect([f1, f2, f3].map((span) => [span.spanId, paired.get(span)?.owner, paired.get(span)?.rivals])).toEqual([
      [f1.spanId, 'a1', 2],
      [f2.spanId, 'b1', 2],
      [f3.spanId, 'c1', 2],
    ]);
    // The map holds the pairs tightest first.
    expect([...paired.keys()].map((span) => span.spanId)).toEqual([f3.spanId, f2.spanId, f1.spanId]);
  });

  it("pairs a hop's fragments with every journey's calls at once: another journey's call in start order is left out", () => {
    // checkout's a1 (19-60) fits f1 by 1 + 1 ms and f2 by 6 + 6 ms; the replay's call r1 (15) fits f1 by 5 + 1.
    // Alone, checkout takes f1; with the replay's pair, f1 answers the earlier call r1 and f2 answers a1. The
    // replay, judged alone first, must now be judged again: its message on f1 names checkout's run, in flight too.
    const index = indexOf([call('a1', 19, 60)]);
    const f1 = makeSpan({ id: 'f1', kind: 'server', start: 20, end: 59 });
    const f2 = makeSpan({ id: 'f2', kind: 'server', start: 25, end: 54 });
    const fragments = [
      { span: f1, keys: ['/pay'] },
      { span: f2, keys: ['/pay'] },
    ];
    const replay: HopPair = {
      fragment: `${f1.traceId}:${f1.spanId}`,
      fragmentStartMs: 20,
      call: 'replay-trace:r1',
      run: asTraceId('b'.repeat(32)),
      journey: 'offline-replay',
      slack: 6,
      callStartMs: 15,
      order: 0,
    };
    const across = (hopPairs: HopPairs) => ({
      journey: 'checkout',
      runOf: () => asTraceId('a'.repeat(32)),
      pair: (pairs: readonly HopPair[], blocks: ReadonlyArray<AlikeBlock<HopPair>>) =>
        hopPairs.pairAt('checkout', 'api-gateway>payment-api', pairs, blocks),
    });
    const alone = indexOf([call('a1', 19, 60)]).pairUp(fragments, 0, across(new HopPairs()));
    const shared = new HopPairs();
    shared.pairAt('offline-replay', 'api-gateway>payment-api', [replay]);
    const withReplay = index.pairUp(fragments, 0, across(shared));
    expect([
      [...alone].map(([span, tie]) => [span.spanId, tie.owner]),
      [...withReplay].map(([span, tie]) => [span.spanId, tie.owner]),
      shared.stale(),
    ]).toEqual([[[f1.spanId, 'a1']], [[f2.spanId, 'a1']], ['offline-replay']]);
  });

  it('takes the nearest start on either side when no call is running', () => {
    const index = indexOf([call('a1', 0, 10), call('b1', 50, 60), call('c1', 100, 110)]);
    expect([owner(index, 70), owner(index, 85), owner(index, 200), owner(index, -5)]).toEqual([
      ['b1', 0],
      ['c1', 0],
      ['c1', 0],
      ['a1', 0],
    ]);
  });

  it('skips claimed owners, and answers undefined when every call is claimed or the route is unknown', () => {
    const index = indexOf([call('a1', 0, 100), call('b1', 10, 100)]);
    index.claim('b1');
    expect(owner(index, 20)).toEqual(['a1', 0]);
    index.claim('a1');
    expect([owner(index, 20), owner(indexOf([call('a1', 0, 1)]), 0, ['/other'])]).toEqual([undefined, undefined]);
  });

  it('gives a tie to the owner added first and counts the others that fit as well, on either side', () => {
    const index = indexOf([call('a1', 10, 20), call('b1', 10, 20), call('c1', 10, 20), call('d1', 40, 50)]);
    expect(owner(index, 15)).toEqual(['a1', 2]);
    index.claim('a1');
    expect(owner(index, 15)).toEqual(['b1', 1]);
    // Nothing running at 30: b1 and c1 started 20 ms before, d1 starts 10 ms after.
    expect(owner(index, 30)).toEqual(['d1', 0]);
    // At 25, 15 ms either side: b1 and d1 fit alike, b1 was added first.
    expect(owner(index, 25)).toEqual(['b1', 2]);
  });

  it('tells apart gaps of a few microseconds at epoch times (no rounding of large offsets)', () => {
    const T = 1_700_000_000_000;
    // Neither is running at T + 15.25: a1 started 2.05 ms before, b1 starts 2.02 ms after, so b1 is nearer.
    const index = indexOf([call('a1', T + 13.2, T + 14), call('b1', T + 17.27, T + 20)]);
    expect(owner(index, T + 15.25)).toEqual(['b1', 0]);
  });

  it('still finds the running call when a claimed call spans all the others', () => {
    const long = call('z1', 0, 1_000_000);
    const index = indexOf([long, call('a1', 10, 20), call('b1', 30, 40), call('c1', 50, 60)]);
    index.claim('z1');
    // At 35 and 55, b1 and c1 are running; z1 is claimed, so it is out whatever its end.
    expect([owner(index, 35), owner(index, 55)]).toEqual([
      ['b1', 0],
      ['c1', 0],
    ]);
  });

  it('counts an owner with two alike calls once', () => {
    const index = new CallIndex<string>();
    index.add('run', call('a1', 10, 20), ['/pay']);
    index.add('run', call('a2', 10, 20), ['/pay']);
    expect(owner(index, 12)).toEqual(['run', 0]);
  });

  it('ties every fragment of 10,000 back-to-back runs to its own run, in order', () => {
    const calls = Array.from({ length: 10_000 }, (_, i) => call(`r${i}`, i * 10, i * 10 + 5));
    const index = new CallIndex<number>();
    calls.forEach((c, i) => index.add(i, c, ['/pay']));
    const owners: number[] = [];
    for (let i = 0; i < calls.length; i++) {
      const tie = index.closest(fragment(i * 10 + 1), ['/pay']);
      if (tie) {
        owners.push(tie.owner);
        index.claim(tie.owner);
      }
    }
    expect(owners).toEqual(calls.map((_, i) => i));
  });
});

describe('CallIndex: calls a fragment cannot be', () => {
  it('skips the calls `accepts` refuses, running or nearest in time, and counts none of them as alike', () => {
    const index = indexOf([call('a1', 0, 100), call('b1', 40, 60), call('c1', 50, 90), call('d1', 69, 70)]);
    const notC = (span: Span): boolean => !span.spanId.startsWith('c1');
    const running = index.closest(fragment(72), ['/pay'], 0, notC);
    // After every call ended: the nearest start, d1, refused; then c1, refused; b1 is taken.
    const nearest = index.closest(fragment(200), ['/pay'], 0, (span) => !/^(c1|d1)/.test(span.spanId));
    const paired = index.pairUp([{ span: fragment(72), keys: ['/pay'], accepts: notC }]);
    expect([
      running && [running.owner, running.alike],
      nearest && [nearest.owner, nearest.alike],
      [...paired.values()].map((tie) => [tie.owner, tie.alike]),
    ]).toEqual([['a1', 0], ['b1', 0], [['a1', 0]]]);
  });
});

describe('CallIndex.pairUp: fragments alike but for their ids', () => {
  /**
   * The pairs of a hop of alike and unlike runs, its fragments as they are (alike ones paired as one class) or
   * each told apart by an attribute no pairing reads (paired one by one): both must come out the same.
   */
  function pairsOf(seed: number, apart: boolean, journeys = false): string[] {
    const draw = seededRandom(seed);
    // Across journeys: journey B's runs are some of the calls, A's the rest, paired over a shared HopPairs.
    const indexes = { A: new CallIndex<string>(), B: new CallIndex<string>() };
    // Calls from a few shapes, so that many are alike: start, length and routes.
    const shapes = Array.from({ length: 1 + draw(3) }, () => ({
      start: draw(3),
      length: 5 + draw(3),
      keys: draw(4) === 0 ? ['/pay', '/alt'] : ['/pay'],
    }));
    const calls = Array.from({ length: 1 + draw(9) }, (_, n) => {
      const shape = shapes[draw(shapes.length)] as (typeof shapes)[number];
      const span = makeSpan({
        id: `c${n}`,
        name: 'POST /pay',
        kind: 'client',
        start: shape.start,
        end: shape.start + shape.length,
      });
      return { span, keys: shape.keys, owner: `o${draw(4) === 0 ? Math.max(0, n - 1) : n}` };
    });
    // Added in an order of their own, not their ids': a tie of fits goes to the call added first.
    const added = calls.map((call, n) => ({ call, at: draw(100) * 10 + n })).sort((a, b) => a.at - b.at);
    const journeyOf = new Map(calls.map((call) => [call.owner, journeys && draw(3) === 0 ? 'B' : 'A'] as const));
    for (const { call } of added) indexes[journeyOf.get(call.owner) ?? 'A'].add(call.owner, call.span, call.keys);
    if (draw(4) === 0) indexes.A.claim((calls[0] as (typeof calls)[number]).owner);
    const fragmentShapes = Array.from({ length: 1 + draw(3) }, () => ({
      start: 3 + draw(3),
      length: 1 + draw(3),
      keys: draw(5) === 0 ? ['/alt'] : ['/pay'],
    }));
    const fragments = Array.from({ length: 1 + draw(9) }, (_, n) => {
      const shape = fragmentShapes[draw(fragmentShapes.length)] as (typeof fragmentShapes)[number];
      const made = makeSpan({
        id: `f${n}`,
        name: 'POST /pay',
        kind: 'server',
        start: shape.start,
        end: shape.start + shape.length,
      });
      const span: Span = apart ? { ...made, attributes: { 'test.n': n } } : made;
      // What the fragment may answer hangs on both spans' data, as hop-ties' `accepts` does.
      const accepts = (c: Span): boolean => (c.endTimeMs + span.endTimeMs) % 4 !== 0;
      return { span, keys: shape.keys, accepts };
    });
    const offset = draw(2) === 0 ? 0 : 0.5;
    if (journeys) {
      const shared = new HopPairs();
      const across = (journey: 'A' | 'B') => ({
        journey,
        runOf: (owner: string) => asTraceId(owner.slice(1).padStart(32, '0')),
        pair: (pairs: readonly HopPair[], blocks: ReadonlyArray<AlikeBlock<HopPair>>) =>
          shared.pairAt(journey, 'hop', pairs, blocks),
      });
      const a = indexes.A.pairUp(fragments, offset, across('A'));
      const b = indexes.B.pairUp(fragments, offset, across('B'));
      const stale = shared.stale();
      shared.release('A');
      const again = indexes.A.pairUp(fragments, offset, across('A'));
      return [a, b, again]
        .flatMap((paired, n) =>
          [...paired].map(([span, tie]) => `${n} ${span.spanId.slice(0, 3)}>${tie.owner} alike ${tie.alike}`),
        )
        .concat(stale, shared.stale());
    }
    const paired = indexes.A.pairUp(fragments, offset);
    return [...paired].map(
      ([span, tie]) =>
        `${span.spanId.slice(0, 3)}>${tie.owner}:${tie.call.spanId.slice(0, 3)} alike ${tie.alike} rivals ${tie.rivals}`,
    );
  }

  it('pairs them as it pairs them told apart, on many generated hops', () => {
    for (let seed = 1; seed <= 2000; seed++)
      expect({ seed, pairs: pairsOf(seed, false) }).toEqual({ seed, pairs: pairsOf(seed, true) });
  });

  it('pairs them as it pairs them told apart across journeys (HopPairs), on many generated hops', () => {
    for (let seed = 1; seed <= 1500; seed++)
      expect({ seed, pairs: pairsOf(seed, false, true) }).toEqual({ seed, pairs: pairsOf(seed, true, true) });
  });
});
