import { asSpanId, asTraceId, type Span } from '../model';
import { adoptSpans, SpanStore } from './span-store';

/** Resolves once the event loop has turned: the checks that adds made due have run. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    setImmediate(resolve);
  });
}

function span(service: string, spanId = '00f067aa0ba902b7'): Span {
  return {
    traceId: asTraceId('4bf92f3577b34da6a3ce929d0e0e4736'),
    spanId: asSpanId(spanId),
    name: 'op',
    kind: 'server',
    service,
    startTimeMs: 1,
    endTimeMs: 2,
    attributes: { tags: ['a'] },
  };
}

describe('SpanStore', () => {
  it('hands out copies that callers cannot use to change the store', () => {
    const store = new SpanStore();
    store.add(span('api-gateway'));
    const copy = store.spans();
    (copy[0]?.attributes.tags as string[]).push('mutated');
    copy.pop();
    expect(store.spans()).toEqual([span('api-gateway')]);
  });

  it("hands out copies of a received span's events and origin, and keeps one origin for the spans sharing it", () => {
    const store = new SpanStore();
    // Fresh objects each call: what the store held before any copy was changed.
    const originOf = () => ({ resource: { attributes: { 'service.name': 'api-gateway' } }, scope: { name: 'http' } });
    const eventsOf = () => [{ name: 'retry', timeMs: 1, attributes: { attempt: 2 } }];
    const received = (spanId: string, origin = originOf()): Span => ({
      ...span('api-gateway', spanId),
      origin,
      events: eventsOf(),
    });
    const origin = originOf();
    adoptSpans(store, [received('00f067aa0ba902b7', origin), received('00f067aa0ba902b8', origin)]);
    const [copy] = store.spans();
    (copy?.origin?.resource.attributes as Record<string, unknown>)['service.name'] = 'mutated';
    (copy?.events?.[0]?.attributes as Record<string, unknown>).attempt = 3;
    const [first, second] = store.snapshot();
    expect({ stored: store.spans(), shared: first?.origin === second?.origin }).toEqual({
      stored: [received('00f067aa0ba902b7'), received('00f067aa0ba902b8')],
      shared: true,
    });
  });

  it('resolves a waiter on the add that makes its condition hold', async () => {
    const store = new SpanStore();
    const waiting = store.waitFor((spans) => spans.length === 2, { timeout: 5000 });
    store.add(span('api-gateway'));
    store.add(span('payment-api', '00f067aa0ba902b8'));
    expect((await waiting).map((s) => s.service)).toEqual(['api-gateway', 'payment-api']);
  });

  it('resolves at once when the condition already holds', async () => {
    const store = new SpanStore();
    store.add(span('api-gateway'));
    expect((await store.waitFor((spans) => spans.length === 1, { timeout: 0 })).length).toBe(1);
  });

  it('rejects at the deadline saying what it saw', async () => {
    jest.useFakeTimers();
    try {
      const store = new SpanStore();
      store.add(span('api-gateway'), span('api-gateway', '00f067aa0ba902b8'), span('mobile-app', '00f067aa0ba902b9'));
      const waiting = store.waitFor((spans) => spans.some((s) => s.service === 'fraud-service'), {
        timeout: 2000,
        description: 'a fraud-service span',
      });
      jest.advanceTimersByTime(2000);
      await expect(waiting).rejects.toThrow(
        '[tracehop] Failed to wait for a fraud-service span: after 2000 ms the store held 3 spans (api-gateway: 2, mobile-app: 1). Check that every service and the app exported their spans.',
      );
    } finally {
      jest.useRealTimers();
    }
  });

  it('passes a condition that throws on as the rejection', async () => {
    const store = new SpanStore();
    const waiting = store.waitFor(() => {
      throw new Error('bad condition');
    });
    await expect(waiting).rejects.toThrow('bad condition');
  });
});

describe('SpanStore without copies', () => {
  const TRACE_A = '4bf92f3577b34da6a3ce929d0e0e4736';
  const TRACE_B = '0af7651916cd43dd8448eb211c80319c';

  function inTrace(traceId: string, spanId: string, service = 'api-gateway'): Span {
    return { ...span(service, spanId), traceId: asTraceId(traceId), attributes: { tags: ['a'] } };
  }

  it('freezes what it stores, so the added object cannot change the store afterwards', () => {
    const store = new SpanStore();
    const added = inTrace(TRACE_A, '00f067aa0ba902b7');
    store.add(added);
    expect(() => {
      (added.attributes.tags as string[]).push('mutated');
    }).toThrow(TypeError);
    expect(() => {
      (added as { name: string }).name = 'renamed';
    }).toThrow(TypeError);
    expect(store.spans()).toEqual([inTrace(TRACE_A, '00f067aa0ba902b7')]);
  });

  it('hands out snapshots of frozen spans that stay as they were when later spans arrive', () => {
    const store = new SpanStore();
    store.add(inTrace(TRACE_A, '00f067aa0ba902b7'));
    const snapshot = store.snapshot();
    (snapshot as Span[]).push(inTrace(TRACE_A, '00f067aa0ba902b8'));
    expect(() => {
      (snapshot[0] as { name: string }).name = 'renamed';
    }).toThrow(TypeError);
    store.add(inTrace(TRACE_A, '00f067aa0ba902b9'));
    expect(snapshot.map((s) => s.spanId)).toEqual(['00f067aa0ba902b7', '00f067aa0ba902b8']);
    expect(store.snapshot().map((s) => s.spanId)).toEqual(['00f067aa0ba902b7', '00f067aa0ba902b9']);
  });

  it('finds spans by trace and by span id, as copies', () => {
    const store = new SpanStore();
    store.addAll([
      inTrace(TRACE_A, '00f067aa0ba902b7'),
      inTrace(TRACE_B, '00f067aa0ba902b8', 'payment-api'),
      inTrace(TRACE_A, '00f067aa0ba902b9', 'fraud-service'),
    ]);
    expect(store.trace(TRACE_A).map((s) => `${s.service} ${s.spanId}`)).toEqual([
      'api-gateway 00f067aa0ba902b7',
      'fraud-service 00f067aa0ba902b9',
    ]);
    expect(store.trace('00000000000000000000000000000001')).toEqual([]);
    const found = store.span('00f067aa0ba902b8');
    expect(found).toEqual(inTrace(TRACE_B, '00f067aa0ba902b8', 'payment-api'));
    (found?.attributes.tags as string[]).push('mutated');
    expect(store.span('00f067aa0ba902b8')).toEqual(inTrace(TRACE_B, '00f067aa0ba902b8', 'payment-api'));
    expect(store.span('00f067aa0ba902ff')).toBeUndefined();
  });

  it('gives a condition its own array of frozen spans and re-checks it once for the adds of one turn', async () => {
    const store = new SpanStore();
    const seen: number[] = [];
    const renames: string[] = [];
    const waiting = store.waitFor((spans) => {
      seen.push(spans.length);
      const first = spans[0];
      // A condition that changes what it sees changes only its own array.
      (spans as Span[]).push(inTrace(TRACE_B, '00f067aa0ba902ff'));
      if (first) {
        try {
          (first as { name: string }).name = 'renamed';
          renames.push('renamed');
        } catch (error) {
          renames.push(error instanceof TypeError ? 'refused' : 'other error');
        }
      }
      return spans.length === 4;
    });
    store.add(inTrace(TRACE_A, '00f067aa0ba902b7'));
    await nextTurn();
    store.add(inTrace(TRACE_B, '00f067aa0ba902b8'));
    store.add(inTrace(TRACE_A, '00f067aa0ba902b9'));
    expect((await waiting).map((s) => s.spanId)).toEqual([
      '00f067aa0ba902b7',
      '00f067aa0ba902b8',
      '00f067aa0ba902b9',
      '00f067aa0ba902ff',
    ]);
    expect(seen).toEqual([0, 1, 3]);
    expect(renames).toEqual(['refused', 'refused']);
    expect(store.snapshot().map((s) => `${s.spanId} ${s.name}`)).toEqual([
      '00f067aa0ba902b7 op',
      '00f067aa0ba902b8 op',
      '00f067aa0ba902b9 op',
    ]);
  });

  it('checks adds that come soon after a long run of checks together, and still resolves with every span', async () => {
    const store = new SpanStore();
    const seen: number[] = [];
    const waiting = store.waitFor((spans) => {
      seen.push(spans.length);
      // A slow condition (as one scanning a large store): the next 4 x 40 ms of adds wait for one check.
      if (spans.length === 1) for (const start = performance.now(); performance.now() - start < 40;);
      return spans.length === 4;
    });
    store.add(span('a', '00f067aa0ba902b1'));
    await nextTurn();
    for (const id of ['00f067aa0ba902b2', '00f067aa0ba902b3', '00f067aa0ba902b4']) {
      store.add(span('a', id));
      await nextTurn();
    }
    expect([(await waiting).length, seen]).toEqual([4, [0, 1, 4]]);
  });

  it('wakes a trace waiter only on adds of its trace, showing it only that trace', async () => {
    const store = new SpanStore();
    store.add(inTrace(TRACE_B, '00f067aa0ba902b1'));
    const seen: string[][] = [];
    const waiting = store.waitFor(
      (spans) => {
        seen.push(spans.map((s) => s.spanId));
        return spans.length === 2;
      },
      { traceId: TRACE_A },
    );
    store.add(inTrace(TRACE_B, '00f067aa0ba902b2'));
    await nextTurn();
    store.add(inTrace(TRACE_A, '00f067aa0ba902b3'));
    await nextTurn();
    store.add(inTrace(TRACE_B, '00f067aa0ba902b4'), inTrace(TRACE_B, '00f067aa0ba902b5'));
    await nextTurn();
    store.add(inTrace(TRACE_A, '00f067aa0ba902b6'));
    expect((await waiting).map((s) => s.spanId)).toEqual(['00f067aa0ba902b3', '00f067aa0ba902b6']);
    expect(seen).toEqual([[], ['00f067aa0ba902b3'], ['00f067aa0ba902b3', '00f067aa0ba902b6']]);
  });

  it('forgets every span on clear and re-checks pending waiters', async () => {
    const store = new SpanStore();
    store.add(inTrace(TRACE_A, '00f067aa0ba902b7'), inTrace(TRACE_B, '00f067aa0ba902b8'));
    expect(store.trace(TRACE_A).length).toBe(1);
    const emptied = store.waitFor((spans) => spans.length === 0);
    store.clear();
    expect(await emptied).toEqual([]);
    expect(store.size).toBe(0);
    expect(store.trace(TRACE_A)).toEqual([]);
    expect(store.span('00f067aa0ba902b7')).toBeUndefined();
    store.add(inTrace(TRACE_A, '00f067aa0ba902b9'));
    expect(store.spans().map((s) => s.spanId)).toEqual(['00f067aa0ba902b9']);
    expect(store.trace(TRACE_A).map((s) => s.spanId)).toEqual(['00f067aa0ba902b9']);
    expect(store.span('00f067aa0ba902b9')?.spanId).toBe('00f067aa0ba902b9');
  });

  it('finds by trace and span id only what was added after a clear', () => {
    const store = new SpanStore();
    store.add(inTrace(TRACE_A, '00f067aa0ba902b1'), inTrace(TRACE_A, '00f067aa0ba902b2'));
    expect(store.trace(TRACE_A).length).toBe(2);
    store.clear();
    store.add(inTrace(TRACE_B, '00f067aa0ba902b3'));
    expect(store.trace(TRACE_B).map((s) => s.spanId)).toEqual(['00f067aa0ba902b3']);
    expect(store.trace(TRACE_A)).toEqual([]);
    expect(store.span('00f067aa0ba902b1')).toBeUndefined();
  });

  it('keeps an attribute named __proto__ as data in the copies it hands out', () => {
    const store = new SpanStore();
    const attributes = {};
    Object.defineProperty(attributes, '__proto__', { value: { polluted: true }, enumerable: true, writable: true });
    store.add({ ...inTrace(TRACE_A, '00f067aa0ba902b7'), attributes });
    const [copy] = store.spans();
    expect(Object.keys(copy?.attributes ?? {})).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(copy?.attributes)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps lookups by trace and span id right across adds made between them', () => {
    const store = new SpanStore();
    store.add(inTrace(TRACE_A, '00f067aa0ba902b1'));
    expect(store.trace(TRACE_A).map((s) => s.spanId)).toEqual(['00f067aa0ba902b1']);
    adoptSpans(store, [inTrace(TRACE_B, '00f067aa0ba902b2'), inTrace(TRACE_A, '00f067aa0ba902b3')]);
    // A second span with a known span id: lookups by id keep finding the first.
    store.add({ ...inTrace(TRACE_B, '00f067aa0ba902b1'), name: 'again' });
    expect(store.trace(TRACE_A).map((s) => s.spanId)).toEqual(['00f067aa0ba902b1', '00f067aa0ba902b3']);
    expect(store.trace(TRACE_B).map((s) => `${s.spanId} ${s.name}`)).toEqual([
      '00f067aa0ba902b2 op',
      '00f067aa0ba902b1 again',
    ]);
    expect(store.span('00f067aa0ba902b1')).toEqual(inTrace(TRACE_A, '00f067aa0ba902b1'));
    expect(store.span('00f067aa0ba902b3')).toEqual(inTrace(TRACE_A, '00f067aa0ba902b3'));
  });
});

describe('SpanStore waits: one check for the adds of a turn', () => {
  const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

  function numbered(n: number): Span {
    return { ...span('api-gateway', `00f067aa0ba902${n.toString(16).padStart(2, '0')}`), traceId: asTraceId(TRACE) };
  }

  it('checks a condition once after many adds of one turn, with every span they added', async () => {
    const store = new SpanStore();
    const seen: number[] = [];
    const waiting = store.waitFor((spans) => {
      seen.push(spans.length);
      return spans.length >= 50;
    });
    for (let n = 1; n <= 60; n++) store.add(numbered(n));
    expect((await waiting).length).toBe(60);
    expect(seen).toEqual([0, 60]);
  });

  it('resolves a condition that spans added before the deadline meet, though the deadline comes first', async () => {
    jest.useFakeTimers();
    try {
      const store = new SpanStore();
      const waiting = store.waitFor((spans) => spans.length === 2, { timeout: 1000 });
      store.add(numbered(1), numbered(2));
      jest.advanceTimersByTime(1000);
      expect((await waiting).map((s) => s.spanId)).toEqual(['00f067aa0ba90201', '00f067aa0ba90202']);
    } finally {
      jest.useRealTimers();
    }
  });

  it('still rejects at the deadline when the spans added before it do not meet the condition', async () => {
    jest.useFakeTimers();
    try {
      const store = new SpanStore();
      const seen: number[] = [];
      const waiting = store.waitFor(
        (spans) => {
          seen.push(spans.length);
          return spans.length === 3;
        },
        { timeout: 1000, description: '3 spans' },
      );
      store.add(numbered(1), numbered(2));
      jest.advanceTimersByTime(1000);
      await expect(waiting).rejects.toThrow(
        '[tracehop] Failed to wait for 3 spans: after 1000 ms the store held 2 spans (api-gateway: 2). Check that every service and the app exported their spans.',
      );
      expect(seen).toEqual([0, 2]);
    } finally {
      jest.useRealTimers();
    }
  });

  it("wakes a waiter on an add under Jest's fake timers, with no clock advanced", async () => {
    jest.useFakeTimers();
    try {
      const store = new SpanStore();
      const waiting = store.waitFor((spans) => spans.length === 1);
      store.add(numbered(1));
      expect((await waiting).map((s) => s.spanId)).toEqual(['00f067aa0ba90201']);
    } finally {
      jest.useRealTimers();
    }
  });

  it('shows a condition the spans added before a clear of the same turn, then the empty store', async () => {
    const store = new SpanStore();
    store.add(numbered(1));
    const seen: number[] = [];
    const three = store.waitFor((spans) => {
      seen.push(spans.length);
      return spans.length >= 3;
    });
    const empty = store.waitFor((spans) => spans.length === 0);
    store.add(numbered(2));
    store.add(numbered(3));
    store.clear();
    store.add(numbered(4));
    expect((await three).map((s) => s.spanId)).toEqual(['00f067aa0ba90201', '00f067aa0ba90202', '00f067aa0ba90203']);
    expect(await empty).toEqual([]);
    expect(seen).toEqual([1, 3]);
  });

  it('rejects with what a condition throws at a check made after the adds of a turn', async () => {
    const store = new SpanStore();
    const waiting = store.waitFor((spans) => {
      if (spans.length > 0) throw new Error(`bad condition over ${spans.length} spans`);
      return false;
    });
    store.add(numbered(1));
    store.add(numbered(2));
    await expect(waiting).rejects.toThrow('bad condition over 2 spans');
  });
});

describe('adoptSpans', () => {
  const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

  function fresh(spanId: string): Span {
    return { ...span('api-gateway', spanId), traceId: asTraceId(TRACE), attributes: { tags: ['a'] } };
  }

  it('stores the spans as they are and freezes them before a snapshot hands them out', () => {
    const store = new SpanStore();
    const adopted = [fresh('00f067aa0ba902b7'), fresh('00f067aa0ba902b8')];
    adoptSpans(store, adopted);
    expect(store.size).toBe(2);
    expect(adopted.map((s) => Object.isFrozen(s))).toEqual([false, false]);
    const snapshot = store.snapshot();
    expect(snapshot[0]).toBe(adopted[0]);
    expect(
      snapshot.map((s) => [Object.isFrozen(s), Object.isFrozen(s.attributes), Object.isFrozen(s.attributes.tags)]),
    ).toEqual([
      [true, true, true],
      [true, true, true],
    ]);
  });

  it('freezes adopted spans before a waiting condition sees them, for every waiter and after eager adds', async () => {
    const store = new SpanStore();
    const frozenSeen: boolean[][] = [];
    const all = store.waitFor((spans) => {
      frozenSeen.push(spans.map((s) => Object.isFrozen(s) && Object.isFrozen(s.attributes)));
      return spans.length === 3;
    });
    const oneTrace = store.waitFor((spans) => spans.length === 3 && spans.every((s) => Object.isFrozen(s)), {
      traceId: TRACE,
    });
    adoptSpans(store, [fresh('00f067aa0ba902b1')]);
    await nextTurn();
    store.add(fresh('00f067aa0ba902b2'));
    await nextTurn();
    adoptSpans(store, [fresh('00f067aa0ba902b3')]);
    expect((await all).map((s) => s.spanId)).toEqual(['00f067aa0ba902b1', '00f067aa0ba902b2', '00f067aa0ba902b3']);
    expect((await oneTrace).length).toBe(3);
    // Checks of adds in successive turns may be run as one (see CHECK_SPACING): each sees only frozen spans.
    expect([frozenSeen[0], frozenSeen.slice(1).every((seen) => seen.every(Boolean)), frozenSeen.at(-1)]).toEqual([
      [],
      true,
      [true, true, true],
    ]);
  });

  it('freezes what it adopts after a clear before handing it out', () => {
    const store = new SpanStore();
    adoptSpans(store, [fresh('00f067aa0ba902b1'), fresh('00f067aa0ba902b2')]);
    expect(store.snapshot().length).toBe(2);
    store.clear();
    adoptSpans(store, [fresh('00f067aa0ba902b3')]);
    expect(store.snapshot().map((s) => Object.isFrozen(s))).toEqual([true]);
  });

  it('hands out copies from spans() and trace() that do not freeze or share the stored spans', () => {
    const store = new SpanStore();
    const adopted = fresh('00f067aa0ba902b7');
    adoptSpans(store, [adopted]);
    const [copy] = store.spans();
    (copy?.attributes.tags as string[]).push('mutated');
    const [traced] = store.trace(TRACE);
    expect(traced).toEqual(fresh('00f067aa0ba902b7'));
    expect(traced).not.toBe(adopted);
  });
});

describe('SpanStore loaded while fake timers hold the timers module', () => {
  /**
   * SpanStore as loaded while the timers module's setImmediate is `fake`, marked with a clock as
   * @sinonjs/fake-timers marks its fakes; the real one is put back once it has loaded.
   */
  function storeLoadedWith(fake: (callback: unknown) => unknown): typeof SpanStore {
    const timers = jest.requireActual<{ setImmediate: unknown }>('node:timers');
    const real = timers.setImmediate;
    timers.setImmediate = Object.assign(fake, { clock: {} });
    let Store: typeof SpanStore | undefined;
    try {
      jest.isolateModules(() => {
        Store = jest.requireActual<{ SpanStore: typeof SpanStore }>('./span-store').SpanStore;
      });
    } finally {
      timers.setImmediate = real;
    }
    if (!Store) throw new Error('span-store did not load');
    return Store;
  }

  it("wakes a waiter on an add though the timers module's setImmediate was a fake when the store loaded", async () => {
    // As @sinonjs/fake-timers leaves it when installed on the real global before tracehop loads: a fake that
    // runs nothing until its clock is advanced, marked with that clock.
    const held: unknown[] = [];
    const store = new (storeLoadedWith((callback: unknown) => held.push(callback)))();
    const seen: number[] = [];
    const waiting = store.waitFor((spans) => {
      seen.push(spans.length);
      return spans.length === 2;
    });
    store.add(span('api-gateway', '00f067aa0ba902c1'));
    store.add(span('payment-api', '00f067aa0ba902c2'));
    expect((await waiting).map((s) => s.spanId)).toEqual(['00f067aa0ba902c1', '00f067aa0ba902c2']);
    expect({ seen, held: held.length }).toEqual({ seen: [0, 2], held: 0 });
  });

  it('checks a condition that adds spans itself with them only at the next outside add or the deadline, never in a loop', async () => {
    const store = new (storeLoadedWith(() => undefined))();
    const real = jest.requireActual<{ setImmediate: (callback: () => void) => unknown }>('node:timers').setImmediate;
    jest.useFakeTimers();
    try {
      const seen: number[] = [];
      // Adds one span at each check, up to 100 (a bound, so the loop this test guards against ends).
      const waiting = store.waitFor(
        (spans) => {
          seen.push(spans.length);
          if (spans.length < 100)
            store.add(span('mobile-app', `00f067aa0ba903${spans.length.toString(16).padStart(2, '0')}`));
          return false;
        },
        { timeout: 1000, description: 'a span the condition waits for' },
      );
      // Another waiter is woken by the condition's adds no sooner: it sees them when checked for an outside add.
      const other: number[] = [];
      const watching = store.waitFor((spans) => {
        other.push(spans.length);
        return spans.length >= 4;
      });
      store.add(span('api-gateway', '00f067aa0ba902d1'));
      // A turn of the real event loop: every microtask the adds queued has run.
      await new Promise((resolve) => real(() => resolve(undefined)));
      expect({ seen, other }).toEqual({ seen: [0, 2], other: [1, 3] });
      jest.advanceTimersByTime(1000);
      await expect(waiting).rejects.toThrow(
        '[tracehop] Failed to wait for a span the condition waits for: after 1000 ms the store held 4 spans (api-gateway: 1, mobile-app: 3). Check that every service and the app exported their spans.',
      );
      store.add(span('payment-api', '00f067aa0ba902d2'));
      expect((await watching).length).toBe(5);
      expect({ seen, other }).toEqual({ seen: [0, 2, 3], other: [1, 3, 5] });
    } finally {
      jest.useRealTimers();
    }
  });
});
