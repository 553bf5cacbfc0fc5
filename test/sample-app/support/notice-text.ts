import type { FlushNotice } from '../../../fixtures/sample-app/src/tracing/flush-notice';

/** A flush notice as one comparable line: "checkout 1", or why the journey's spans are not exported yet. */
export function noticeText(notice: FlushNotice): string {
  const base = `${notice.journey} ${notice.count}`;
  if (notice.export === 'exported') return base;
  if (notice.export === 'disabled') return `${base} (not exported: no tracehopOtlpUrl)`;
  return `${base} (export failed, ${notice.retained} spans kept)`;
}
