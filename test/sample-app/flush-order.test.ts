import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { AppTracing } from '../../fixtures/sample-app/src/tracing/app-tracing';
import { noticeText } from './support/notice-text';

/** Holds every export until the test answers it, so a test can answer them out of order. */
class GatedExporter implements SpanExporter {
  readonly pending: Array<{ names: string[]; done: (result: ExportResult) => void }> = [];

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.pending.push({ names: spans.map((span) => span.name), done });
  }

  async shutdown(): Promise<void> {}
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

test('reports journeys in the order they ended even when a later export answers first', async () => {
  const exporter = new GatedExporter();
  const notices: string[] = [];
  const tracing = new AppTracing({ exporter, onFlushed: (notice) => notices.push(noticeText(notice)) });
  const exportedInOrder: string[][] = [];

  const first = tracing.startJourney('add-to-cart').end();
  await settle();
  expect(exporter.pending.map((entry) => entry.names)).toEqual([['add-to-cart']]);
  const second = tracing.startJourney('checkout').end();
  // Answer the newest pending export first, as a slow network might, until both journeys are reported.
  while (notices.length < 2) {
    await settle();
    const newest = exporter.pending.pop();
    if (newest === undefined) continue;
    exportedInOrder.push(newest.names);
    newest.done({ code: ExportResultCode.SUCCESS });
  }
  await Promise.all([first, second]);

  expect(notices).toEqual(['add-to-cart 1', 'checkout 1']);
  expect(exportedInOrder).toEqual([['add-to-cart'], ['checkout']]);
});
