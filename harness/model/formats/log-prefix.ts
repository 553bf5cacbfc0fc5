/**
 * The prefixes log collectors write before each line of a container's output, so that the SDKs' span prints
 * (go-stdouttrace.ts, python-console.ts, js-console.ts) can be read from a collected log. Pure text steps:
 * they never throw and look at a bounded number of lines.
 *
 * - `compose`: `docker compose logs` and `docker compose up`: the container's name left-aligned and padded to
 *   one more than the longest name then `| ` (Go's `fmt.Sprintf("%-<width>s | ", name)`), the whole prefix
 *   coloured (`ESC[36m...ESC[0m`) when colour is on; with `-t`, an RFC 3339 timestamp and a space after the
 *   bar. The padding grows when a container with a longer name joins, so it is not held constant.
 * - `kubectl`: `kubectl logs --prefix`: `[pod/<pod>/<container>] `; with `--timestamps`, the kubelet's RFC 3339
 *   timestamp and a space after it.
 * - `timestamp`: `docker logs -t` and `kubectl logs --timestamps` alone: an RFC 3339 timestamp and a space.
 *
 * Each container's lines are in order, but containers interleave: a prefix names its container (`source`),
 * so the readers keep one span open per container.
 */

export type LogPrefix = 'compose' | 'kubectl' | 'timestamp';

/** Names for messages. */
export const LOG_PREFIX_NAMES: Readonly<Record<LogPrefix, string>> = {
  compose: 'docker compose logs',
  kubectl: 'kubectl logs --prefix',
  timestamp: 'docker logs -t or kubectl logs --timestamps',
};

/** One line with its prefix cut off: the container it came from ('' when the prefix names none) and its text. */
export interface PrefixedLine {
  readonly source: string;
  readonly text: string;
}

/** Lines looked at to find a prefix: enough for a compose banner and a few containers' first lines. */
export const PREFIX_LINES_LOOKED_AT = 200;
/** Share of the non-blank lines looked at that must carry the prefix (compose adds status lines of its own). */
const PREFIX_SHARE = 0.9;

const TIMESTAMP = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,9})?(?:Z|[+-]\\d\\d:\\d\\d) ';
const COMPOSE = new RegExp(`^(?:\\u001b\\[[0-9;]*m)?([^\\s|\\u001b]+) +\\|(?: |$)(?:\\u001b\\[0m)?(?:${TIMESTAMP})?`);
const KUBECTL = new RegExp(`^\\[(pod/[^/\\]\\s]+/[^\\]\\s]*)\\] (?:${TIMESTAMP})?`);
const TIMESTAMP_ONLY = new RegExp(`^${TIMESTAMP}`);

const PATTERNS: Readonly<Record<LogPrefix, RegExp>> = {
  compose: COMPOSE,
  kubectl: KUBECTL,
  timestamp: TIMESTAMP_ONLY,
};
/** Tried in this order: a compose or kubectl prefix may be followed by a timestamp, not the other way round. */
const ORDER: readonly LogPrefix[] = ['compose', 'kubectl', 'timestamp'];

/** `line` without its prefix, or undefined when it has none (a collector's own line, another program's output). */
export function cutLogPrefix(line: string, prefix: LogPrefix): PrefixedLine | undefined {
  const match = PATTERNS[prefix].exec(line);
  if (match === null) return undefined;
  return { source: match[1] ?? '', text: line.slice(match[0].length) };
}

/**
 * The prefix every line of a collected log starts with, from its first lines (`head`, the file's first
 * bytes as text), or undefined: at least two lines and nine in ten of the non-blank ones carry it. The last
 * line of `head` may be cut short, so it is not counted.
 */
export function detectLogPrefix(head: string): LogPrefix | undefined {
  const lines: string[] = [];
  let start = 0;
  while (lines.length < PREFIX_LINES_LOOKED_AT) {
    const end = head.indexOf('\n', start);
    if (end === -1) break;
    const line = head.slice(start, end);
    if (line.trim() !== '') lines.push(line.endsWith('\r') ? line.slice(0, -1) : line);
    start = end + 1;
  }
  if (lines.length < 2) return undefined;
  return ORDER.find((prefix) => {
    const carrying = lines.filter((line) => PATTERNS[prefix].test(line)).length;
    return carrying >= 2 && carrying >= lines.length * PREFIX_SHARE;
  });
}

/**
 * The first lines of `head` with `prefix` cut off, each container's lines together (in order, containers in the
 * order they first write), for detecting what they print; lines without the prefix are left out.
 */
export function withoutLogPrefix(head: string, prefix: LogPrefix): string {
  const sources = new Map<string, string[]>();
  for (const line of head.split('\n', PREFIX_LINES_LOOKED_AT * 50)) {
    const cut = cutLogPrefix(line.endsWith('\r') ? line.slice(0, -1) : line, prefix);
    if (cut === undefined) continue;
    const lines = sources.get(cut.source);
    if (lines === undefined) sources.set(cut.source, [cut.text]);
    else lines.push(cut.text);
  }
  return [...sources.values()].map((lines) => lines.join('\n')).join('\n');
}
