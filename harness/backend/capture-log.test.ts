import { extractContexts } from '../propagation';
import { CaptureLog } from './capture-log';

function input(path: string): Parameters<CaptureLog['record']>[0] {
  return { service: 'api-gateway', firstParty: true, method: 'POST', path, headers: [['x-a', '1']], timeMs: 1 };
}

describe('CaptureLog.clear', () => {
  it('forgets every entry, keeps counting seq, and attaches spans to entries recorded after it', () => {
    const log = new CaptureLog();
    log.record(input('/one'));
    const second = log.record(input('/two'));
    log.clear();
    // A span that ends after the clear, for a request recorded before it, changes nothing.
    log.attachServerSpan(second.seq, '4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7');
    const third = log.record(input('/three'));
    log.attachServerSpan(third.seq, '4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b8');
    expect(log.entries().map((entry) => [entry.seq, entry.path, entry.serverSpanId])).toEqual([
      [3, '/three', '00f067aa0ba902b8'],
    ]);
  });
});

describe('CaptureLog.entries', () => {
  it('gives each entry the verdicts of our codecs on its trace headers, decoded when read', () => {
    const log = new CaptureLog();
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const { seq } = log.record({ ...input('/pay'), headers: [['traceparent', traceparent]] });
    log.attachServerSpan(seq, '4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b8');
    const [entry] = log.entries();
    expect(entry?.contexts).toEqual(extractContexts([['traceparent', traceparent]]));
    expect([entry?.contexts.traceparent?.values, entry?.contexts.traceparent?.result.ok]).toEqual([
      [traceparent],
      true,
    ]);
    // Copies: changing what was handed out changes nothing in the log.
    (entry as { path: string }).path = '/changed';
    expect(log.entries().map((one) => [one.seq, one.path, one.serverSpanId])).toEqual([
      [1, '/pay', '00f067aa0ba902b8'],
    ]);
  });
});
