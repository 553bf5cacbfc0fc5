import { encodeOtlpJson, type Span } from '../model';
import { decodeCollectorAnswer } from '../model/otlp-responses';
import { failure } from '../internal/messages';
import { quotedText } from '../internal/terminal-text';
import { fail, succeed, type Failure } from '../internal/result';
import { callDownstream } from './internal/downstream-call';

/**
 * Forwards spans to an external OTLP/HTTP collector (TRACEHOP_FORWARD_OTLP), in order, one export at a time:
 * exports the receiver accepted as they were received, the services' own spans encoded as OTLP/JSON.
 */
export interface SpanForwarder {
  /** Queues spans that have no wire form; an export starts on the next turn of the event loop. Never throws. */
  add(spans: readonly Span[]): void;
  /**
   * Queues an export as received: its body (gzip inflated), its OTLP content type, and how many spans it
   * holds. It is sent as is, in order with the spans added before it. Never blocks, never throws.
   */
  addExport(body: Uint8Array, contentType: string, spans: number): void;
  /**
   * Resolves once every queued span was sent (or failed), or at the deadline: then the export in flight is
   * abandoned and reported, and the forwarder stops: stopping a backend never waits on a collector that does
   * not answer.
   */
  flush(timeoutMs?: number): Promise<void>;
}

/** Tuning of {@link createForwarder}; the defaults suit a collector on the same network. */
export interface ForwarderOptions {
  /** Longest wait for one export's answer; 5000 ms when absent. */
  readonly exportTimeoutMs?: number;
  /** Most spans per export of added spans, so one export stays under collectors' body limits; 512 when absent. */
  readonly maxBatch?: number;
  /**
   * Most bytes of received exports waiting to be sent (64 MiB when absent): past it, an export is dropped
   * and reported (once), so a collector that never answers cannot grow the backend's memory without end.
   */
  readonly maxQueuedBytes?: number;
  /**
   * Most tries of one export the collector answers 429, 502, 503 or 504 (the answers OTLP/HTTP clients retry),
   * 5 when absent: each after the answer's Retry-After, or 1 s, 1.5 s, 2.25 s ... (at most 5 s) without one.
   */
  readonly maxAttempts?: number;
}

/** Received exports' bytes the queue holds at most by default. */
export const FORWARD_QUEUE_BYTES = 64 * 1024 * 1024;

/** An export queued as received. */
class ReceivedExport {
  constructor(
    readonly body: Uint8Array,
    readonly contentType: string,
    readonly spans: number,
  ) {}
}

type Queued = Span | ReceivedExport;

const FLUSH_TIMEOUT_MS = 5000;
const PARTIAL_HINT =
  "The collector's message says why it dropped them (its own limits or validation); tracehop's store keeps every span.";
/** The answers OTLP/HTTP exporters retry (OTLP specification, "Retryable Response Codes"). */
const RETRYABLE = new Set([429, 502, 503, 504]);
const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 5000;
/** A Retry-After longer than this is cut to it: the flush deadline would abandon the export anyway. */
const MAX_RETRY_AFTER_MS = 30_000;
/** Most characters of a collector's message quoted in a report. */
const MAX_QUOTED = 300;

/** A collector's message, cut to a line's worth: an HTML error page can be long. */
function shortened(message: string): string {
  return message.length > MAX_QUOTED ? `${message.slice(0, MAX_QUOTED)}…` : message;
}

/**
 * How long to wait before try `attempt + 1`: the answer's Retry-After (delta-seconds or an HTTP date), else
 * exponential backoff.
 */
function retryDelayMs(retryAfter: string | undefined, attempt: number): number {
  const value = retryAfter?.trim() ?? '';
  const backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 1.5 ** (attempt - 1));
  if (value === '') return backoff;
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - Date.now();
  return Number.isNaN(ms) ? backoff : Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}
const HINT =
  'Check TRACEHOP_FORWARD_OTLP points at a running OTLP/HTTP collector (…/v1/traces); tracehop keeps serving and storing spans meanwhile.';

/** True for a URL startBackend can forward to: one that parses, http or https. */
export function isHttpUrl(text: string): boolean {
  return URL.canParse(text) && ['http:', 'https:'].includes(new URL(text).protocol);
}

/**
 * `url` with any user and password before its host shown as "***": messages echo the collector URL, and one written
 * as https://user:token@collector/... must not print its token into CI logs.
 * @example withoutCredentials('https://me:s3cret@otlp.example.com/v1/traces') // 'https://***@otlp.example.com/v1/traces'
 */
export function withoutCredentials(url: string): string {
  return url.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#@]*@/, '$1***@');
}

/**
 * The collector URL an environment variable (TRACEHOP_FORWARD_OTLP) names: undefined when unset or empty, a
 * failure naming the variable when it is no URL startBackend could forward to. Never throws.
 * @example forwardUrlFrom(process.env.TRACEHOP_FORWARD_OTLP, 'TRACEHOP_FORWARD_OTLP')
 */
export function forwardUrlFrom(
  value: string | undefined,
  variable: string,
): { ok: true; value: string | undefined } | Failure<'invalid-forward-url'> {
  if (!value) return succeed(undefined);
  if (isHttpUrl(value)) return succeed(value);
  return fail(
    'invalid-forward-url',
    failure(
      'forward spans',
      `${variable} "${withoutCredentials(value)}" is not an http(s) URL`,
      'Set it to a collector URL such as http://127.0.0.1:4318/v1/traces.',
    ),
  );
}

/**
 * Creates a forwarder to `url` (the collector's /v1/traces). The first failure is reported through
 * `onError`, once; failures never stop the backend, and the backend's own store keeps every span.
 * @example createForwarder('http://127.0.0.1:4318/v1/traces', (message) => console.error(message))
 */
export function createForwarder(
  url: string,
  onError: (message: string) => void,
  options: ForwarderOptions = {},
): SpanForwarder {
  const exportTimeoutMs = options.exportTimeoutMs ?? 5000;
  const maxBatch = Math.max(1, options.maxBatch ?? 512);
  const abandon = new AbortController();
  const maxQueuedBytes = options.maxQueuedBytes ?? FORWARD_QUEUE_BYTES;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  let queue: Queued[] = [];
  let queuedBytes = 0;
  let running: Promise<void> = Promise.resolve();
  let reported = false;
  let reportedFull = false;
  const report = (cause: string, hint = HINT): void => {
    if (reported) return;
    reported = true;
    onError(failure(`forward spans to "${withoutCredentials(url)}"`, cause, hint));
  };
  /** The next export: a received one as is, or up to maxBatch added spans in a row as OTLP/JSON. */
  const next = (): ReceivedExport => {
    const head = queue[0];
    if (head instanceof ReceivedExport) {
      queue = queue.slice(1);
      queuedBytes -= head.body.byteLength;
      return head;
    }
    let count = 0;
    while (count < maxBatch && count < queue.length && !(queue[count] instanceof ReceivedExport)) count++;
    const batch = queue.slice(0, count) as Span[];
    queue = queue.slice(count);
    return new ReceivedExport(Buffer.from(JSON.stringify(encodeOtlpJson(batch))), 'application/json', count);
  };
  /** Waits `ms`, or less when the flush deadline abandons the forwarder. */
  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const { signal } = abandon;
      if (ms <= 0 || signal.aborted) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
    });
  /**
   * Sends one export; a busy collector (429, 502, 503, 504) gets it again after its Retry-After, as the
   * OpenTelemetry exporters do, so spans are not lost to a collector that asked to be tried later.
   */
  const sendOne = async (item: ReceivedExport): Promise<{ cause: string; hint?: string } | undefined> => {
    const headers = [['content-type', item.contentType]] as const;
    for (let attempt = 1; ; attempt++) {
      const result = await callDownstream(url, 'POST', headers, item.body, exportTimeoutMs, abandon.signal);
      if (!result.ok) return { cause: result.message };
      const answer = decodeCollectorAnswer(result.bytes, result.contentType, result.status < 300);
      const said = answer.message === '' ? '' : ` (${quotedText(shortened(answer.message))})`;
      if (result.status < 300) {
        // A partial success: the collector kept the export but dropped some of its spans, as exporters log.
        return answer.rejectedSpans > 0
          ? {
              cause: `the collector rejected ${answer.rejectedSpans} of an export's ${item.spans} spans${said}`,
              hint: PARTIAL_HINT,
            }
          : undefined;
      }
      if (!RETRYABLE.has(result.status)) return { cause: `the collector answered ${result.status}${said}` };
      if (attempt >= maxAttempts)
        return { cause: `the collector answered ${result.status} to each of ${attempt} tries${said}` };
      await pause(retryDelayMs(result.retryAfter, attempt));
      if (abandon.signal.aborted) {
        const reason: unknown = abandon.signal.reason;
        return {
          cause: `${reason instanceof Error ? reason.message : 'the forwarder was stopped'} (it answered ${result.status} and was to be tried again)`,
        };
      }
    }
  };
  const send = async (): Promise<void> => {
    while (queue.length > 0 && !abandon.signal.aborted) {
      const failed = await sendOne(next());
      if (failed) report(failed.cause, failed.hint);
    }
  };
  const enqueue = (items: readonly Queued[]): void => {
    if (items.length === 0 || abandon.signal.aborted) return;
    const wasEmpty = queue.length === 0;
    queue.push(...items);
    if (wasEmpty) running = running.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(send);
  };
  return {
    add: enqueue,
    addExport(body, contentType, spans) {
      if (queuedBytes + body.byteLength > maxQueuedBytes && queue.length > 0) {
        if (!reportedFull) {
          reportedFull = true;
          onError(
            failure(
              `forward spans to "${withoutCredentials(url)}"`,
              `the collector takes exports slower than they arrive: more than ${maxQueuedBytes >= 1048576 ? `${Math.round(maxQueuedBytes / 1048576)} MiB` : `${maxQueuedBytes} bytes`} wait to be sent, so exports are dropped from forwarding (tracehop still stores every span)`,
              'Check that the collector is running and answering; tracehop keeps serving and storing spans meanwhile.',
            ),
          );
        }
        return;
      }
      queuedBytes += body.byteLength;
      enqueue([new ReceivedExport(body, contentType, spans)]);
    },
    flush(timeoutMs = FLUSH_TIMEOUT_MS) {
      running = running.then(send);
      const done = running;
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          const unsent = queue.reduce((sum, item) => sum + (item instanceof ReceivedExport ? item.spans : 1), 0);
          abandon.abort(
            new Error(
              `the collector did not take every span within ${timeoutMs} ms${unsent > 0 ? ` (${unsent} never sent)` : ''}`,
            ),
          );
          // The aborted export settles at once; waiting for it lets its report reach stderr before we return.
          void done.then(resolve);
        }, timeoutMs);
        void done.then(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}
