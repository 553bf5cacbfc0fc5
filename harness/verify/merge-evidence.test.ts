import { mergeEvidence } from './merge-evidence';
import type { Problem } from './problem';

const spanBreak: Problem = {
  kind: 'broken-chain',
  traceId: null,
  spanId: null,
  service: 'api-gateway',
  lastService: 'mobile-app',
  restartedService: 'api-gateway',
  message: 'mobile-app received the request but api-gateway started a new trace',
};
const orphan: Problem = {
  kind: 'orphan-span',
  traceId: null,
  spanId: null,
  service: 'payment-api',
  missingParentSpanId: 'aaaaaaaaaaaaaaaa' as never,
  message: 'orphan',
};
const headerBreak = (lastService: string, restartedService: string): Problem => ({
  ...spanBreak,
  lastService,
  restartedService,
  message: `${lastService} sent no trace headers at all to ${restartedService}; fix: ...`,
});

describe('mergeEvidence', () => {
  it('drops a span broken-chain the capture log explains on the same hop, keeping everything else in order', () => {
    expect(mergeEvidence([spanBreak, orphan], [headerBreak('mobile-app', 'api-gateway')])).toEqual([
      orphan,
      headerBreak('mobile-app', 'api-gateway'),
    ]);
  });

  it('keeps a span broken-chain of another hop', () => {
    expect(mergeEvidence([spanBreak], [headerBreak('api-gateway', 'payment-api')])).toEqual([
      spanBreak,
      headerBreak('api-gateway', 'payment-api'),
    ]);
  });
});
