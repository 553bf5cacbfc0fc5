import { shortId, type TraceId } from '../../model';

// Full trace ids (32 hex) and span ids (16 hex): a table shows them short, as trees do (shortId).
const LONG_ID = /\b(?:[0-9a-f]{32}|[0-9a-f]{16})\b/g;

/** Longest reason a table cell shows; the HTML sections and coverage.json keep it whole. */
export const TABLE_REASON_LENGTH = 180;

// Cuts at a word boundary when one is near, and drops dangling punctuation.
function clip(text: string, room: number): string {
  const head = text.slice(0, room);
  const space = head.lastIndexOf(' ');
  return (space > room / 2 ? head.slice(0, space) : head).replace(/[\s,;:(]+$/, '');
}

/**
 * A hop's reason short enough for a table cell. Ids are shortened first; if it is still too long, the
 * middle goes and the cause (what follows the last ": ", the part a reader acts on) stays whole.
 * @example shortReason('broken-chain: a long account of what happened: api-gateway did not forward traceparent', 60)
 */
export function shortReason(reason: string, max = TABLE_REASON_LENGTH): string {
  if (reason.length <= max) return reason;
  const text = reason.replace(LONG_ID, (id) => shortId(id as TraceId));
  if (text.length <= max) return text;
  const cut = text.lastIndexOf(': ');
  const cause = cut >= 0 ? text.slice(cut + 2) : '';
  const room = max - cause.length - 3;
  // Keep enough of the head to say what happened (at least the kind and the services).
  if (cut >= 0 && room >= 30) return `${clip(text.slice(0, cut), room)}…: ${cause}`;
  return `${clip(text, max - 1)}…`;
}
