import { asSpanId, asTraceId, type Span } from '../model';
import { SpanStore } from './span-store';

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
    (copy[0]!.attributes.tags as string[]).push('mutated');
    copy.pop();
    expect(store.spans()).toEqual([span('api-gateway')]);
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
