/**
 * Requests real OpenTelemetry JS exporters sent, replayed byte for byte (test/backend/real-exporters/README.md
 * says how they were recorded): what the receiver makes of an exporter's own framing faults.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBackend, type Backend } from '../../harness/backend';
import { bodyOf, rawRequest, statusOf } from './support/raw-http';

/** The first and second requests an exporter sent, as they came over the wire (head and body). */
function recorded(name: string): { first: Buffer; second: Buffer } {
  const file = JSON.parse(readFileSync(join(__dirname, 'real-exporters', name), 'utf8')) as {
    firstExport: string;
    secondExport: string;
  };
  return { first: Buffer.from(file.firstExport, 'base64'), second: Buffer.from(file.secondExport, 'base64') };
}

/** The head of a raw answer, its field lines lowercased. */
function headOf(raw: string): string {
  return raw.slice(0, raw.indexOf('\r\n\r\n')).toLowerCase();
}

const SHORT_GZIP_WARNING = (declared: number, came: number): string =>
  `[tracehop] Failed to receive this process's later exports: an export came gzip-compressed with a Content-Length of ${declared} bytes, its size before compression (${came} bytes came), as @opentelemetry/exporter-trace-otlp-http and -proto 0.27 send with compression: 'gzip'; they also run every export of the process through one gzip stream, so only its first export arrives (tracehop stored it and closed the connection) and later ones send no body and hang until the exporter gives up. Remove compression: 'gzip' from the exporter, or upgrade it to 0.30 or later.`;

let backend: Backend;
let warnings: string[];
beforeEach(async () => {
  warnings = [];
  backend = await startBackend({ onWarning: (message) => warnings.push(message) });
});
afterEach(async () => {
  await backend.stop();
});

describe('the 0.27 OTLP/HTTP exporters with compression: gzip', () => {
  // Their Content-Length is the body's size before gzip (1195 and 360) while 447 and 297 bytes come: waiting for
  // the rest held the export until the exporter gave up, and nothing was stored or said.
  it('stores the JSON exporter’s first export, closes its connection and says why later ones never arrive', async () => {
    const raw = await rawRequest(backend.urls.otlp, recorded('otlp-http-0.27-gzip.json').first);
    expect(statusOf(raw)).toBe(200);
    expect(headOf(raw)).toContain('\r\nconnection: close');
    expect(bodyOf(raw)).toBe('{}');
    expect(
      backend.store.spans().map(({ service, traceId, spanId, name, kind }) => [service, traceId, spanId, name, kind]),
    ).toEqual([
      ['mobile-app', 'f18996d41ac63d6046e74b5b30ebf8d9', '7e0a20107dff9a66', 'POST', 'client'],
      ['mobile-app', 'f18996d41ac63d6046e74b5b30ebf8d9', 'c0c7f2585b39acbc', 'checkout', 'internal'],
    ]);
    expect(warnings).toEqual([SHORT_GZIP_WARNING(1195, 447)]);
  }, 20000);

  it('stores the protobuf exporter’s first export the same way, and warns once per receiver', async () => {
    const first = await rawRequest(backend.urls.otlp, recorded('otlp-proto-0.27-gzip.json').first);
    const again = await rawRequest(backend.urls.otlp, recorded('otlp-proto-0.27-gzip.json').first);
    for (const raw of [first, again]) {
      expect(statusOf(raw)).toBe(200);
      expect(headOf(raw)).toContain('\r\ncontent-type: application/x-protobuf');
      expect(headOf(raw)).toContain('\r\nconnection: close');
      expect(bodyOf(raw)).toBe('');
    }
    expect(backend.store.spans().map(({ service, spanId, name }) => [service, spanId, name])).toEqual([
      ['mobile-app', '048abd0c5c1d220e', 'POST'],
      ['mobile-app', 'a32f6ef5e37c0d03', 'checkout'],
      ['mobile-app', '048abd0c5c1d220e', 'POST'],
      ['mobile-app', 'a32f6ef5e37c0d03', 'checkout'],
    ]);
    expect(warnings).toEqual([SHORT_GZIP_WARNING(360, 297)]);
  }, 20000);

  it('waits for the whole body when a gzip stream ends short of a length that is not its inflated size', async () => {
    // The same first export with Content-Length 1196: its gzip stream ends after 447 bytes, but 1195 is its
    // inflated size, so the body is still arriving. The 749 bytes that complete it are read as part of it,
    // after which it is no gzip stream alone: answered 400 only then, so the receiver waited for them.
    // (Connection: close, so that the answer ends the connection and the client sees it end.)
    const { first } = recorded('otlp-http-0.27-gzip.json');
    const bent = first
      .toString('latin1')
      .replace('Content-Length: 1195', 'Content-Length: 1196')
      .replace('Connection: keep-alive', 'Connection: close');
    const raw = await rawRequest(backend.urls.otlp, Buffer.from(`${bent}${'\n'.repeat(1196 - 447)}`, 'latin1'));
    expect(statusOf(raw)).toBe(400);
    expect(JSON.parse(bodyOf(raw))).toEqual({
      code: 3,
      message:
        '[tracehop] Failed to accept the OTLP export: the gzip body is corrupt (incorrect header check). Send a complete gzip body or no Content-Encoding.',
    });
    expect(backend.store.spans()).toEqual([]);
    expect(warnings).toEqual([]);
  });
});

describe('the 0.29 OTLP/HTTP exporter with compression: gzip', () => {
  // Chunked now, but every export after the process's first goes through the ended gzip stream: an empty body
  // that says Content-Encoding: gzip. It was refused as a corrupt gzip body, which the exporter logs only as
  // "Bad Request", and the receiver said nothing.
  const EMPTY_GZIP =
    "[tracehop] Failed to accept the OTLP export: the body is empty although it says Content-Encoding: gzip (a gzip stream is at least 18 bytes), as @opentelemetry/exporter-trace-otlp-http and -proto 0.28 and 0.29 send every export but the first of a process with compression: 'gzip' (they run every export through one gzip stream, which the first one ended). Remove compression: 'gzip' from the exporter, or upgrade it to 0.30 or later.";

  it('stores the first export, refuses the empty second one saying why, and warns once', async () => {
    const { first, second } = recorded('otlp-http-0.29-gzip.json');
    // Both sent with Connection: close, so that the answer ends the connection and the client sees it end (kept
    // alive, the first waited out the receiver's 10 s keep-alive timeout before rawRequest resolved).
    const closing = (request: Buffer) =>
      Buffer.from(request.toString('latin1').replace('Connection: keep-alive', 'Connection: close'), 'latin1');
    const stored = await rawRequest(backend.urls.otlp, closing(first));
    expect(statusOf(stored)).toBe(200);
    expect(backend.store.spans().map(({ service, traceId, spanId, name }) => [service, traceId, spanId, name])).toEqual(
      [
        ['mobile-app', '6e1856d9e4060c0a82a6f2117b0e063b', 'ad2916a9b04da6cc', 'POST'],
        ['mobile-app', '6e1856d9e4060c0a82a6f2117b0e063b', '8df2e8cb8f32c842', 'checkout'],
      ],
    );
    for (let i = 0; i < 2; i++) {
      const raw = await rawRequest(backend.urls.otlp, closing(second));
      expect(statusOf(raw)).toBe(400);
      expect(JSON.parse(bodyOf(raw))).toEqual({ code: 3, message: EMPTY_GZIP });
    }
    expect(backend.store.spans()).toHaveLength(2);
    expect(warnings).toEqual([EMPTY_GZIP]);
  });
});
