import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** Collects exported spans; while `online` is false every export fails like an unreachable collector. */
export class SwitchableExporter implements SpanExporter {
  online = true;
  readonly spans: ReadableSpan[] = [];
  attempts = 0;

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.attempts += 1;
    if (!this.online) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error('offline') });
      return;
    }
    this.spans.push(...spans);
    resultCallback({ code: ExportResultCode.SUCCESS });
  }

  async shutdown(): Promise<void> {}
}
