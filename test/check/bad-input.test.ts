import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeOtlpProtobuf } from '../../harness/model/test-support/otlp-protobuf';
import { asSpanId, asTraceId, encodeOtlpJson, type Span } from '../../harness/model';
import { ROOT, runCli, tempFiles } from './support';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const S = '00f067aa0ba902b7';
const OTLP = "Export with the OTLP JSON encoding or the Collector's file exporter.";
const PROTO = "Write one ExportTraceServiceRequest per file, or use the Collector's file exporter with format: proto.";
const JAEGER = 'Download the trace from Jaeger (Download JSON in the UI, or GET /api/traces/{traceID}).';
const ZIPKIN = 'Export Zipkin v2 JSON (GET /api/v2/traces, or the body a Zipkin exporter POSTs to /api/v2/spans).';
const FORMATS =
  'Give one of otlp-json, otlp-proto, jaeger, zipkin, go-stdouttrace, python-console, js-console, or leave --format out to detect the format by content.';

const span = (spanId: string, parentSpanId?: string): Span => ({
  traceId: asTraceId(T),
  spanId: asSpanId(spanId),
  ...(parentSpanId ? { parentSpanId: asSpanId(parentSpanId) } : {}),
  name: 'x',
  kind: 'server',
  service: 'api',
  startTimeMs: 1,
  endTimeMs: 2,
  attributes: {},
});
const proto = Buffer.from(encodeOtlpProtobuf([span(S)]));
const frame = (body: Buffer, length = body.length): Buffer => {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(length, 0);
  return Buffer.concat([head, body]);
};
const otlp = (fields: Record<string, unknown>): string =>
  JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: T, spanId: S, ...fields }] }] }] });
const jaeger = (fields: Record<string, unknown>): string =>
  JSON.stringify({
    data: [
      {
        traceID: T,
        spans: [{ traceID: T, spanID: S, processID: 'p1', ...fields }],
        processes: { p1: { serviceName: 'api' } },
      },
    ],
  });
const zipkin = (fields: Record<string, unknown>): string =>
  JSON.stringify([{ traceId: T, id: S, name: 'x', localEndpoint: { serviceName: 'api' }, ...fields }]);

const fail = (file: string, cause: string, hint: string): string =>
  `[tracehop] Failed to read spans from "${file}": ${cause}. ${hint}`;
const wrongFormat = (format: string): string =>
  `Leave --format out to detect each file's format by content, or give --format ${format}.`;

// Every case: [name, file body, extra arguments, the whole message].
const CASES: [string, string | Buffer, string[], string][] = [
  // OTLP protobuf
  [
    'protobuf: truncated length',
    Buffer.concat([frame(proto), Buffer.from([0, 0])]),
    [],
    fail('f', `frame 2 at byte ${proto.length + 4} is truncated: its length needs 4 bytes, but 2 remain`, PROTO),
  ],
  [
    'protobuf: frame length beyond the file',
    frame(proto, proto.length + 10),
    [],
    fail(
      'f',
      `frame 1 at byte 0 says ${proto.length + 10} bytes follow, but only ${proto.length} do (the file is truncated or not framed)`,
      PROTO,
    ),
  ],
  [
    'protobuf: a truncated bare request',
    proto.subarray(0, proto.length - 3),
    [],
    fail(
      'f',
      `byte 1 length ${proto.length - 2} runs past the end of its message (${proto.length - 5} bytes left)`,
      PROTO,
    ),
  ],
  [
    'protobuf: a span id of 4 bytes',
    Buffer.from(encodeOtlpProtobuf([span('00f067aa')])),
    [],
    fail('f', 'resource_spans[0].scope_spans[0].spans[0] span_id has 4 bytes, expected 8', PROTO),
  ],
  [
    'protobuf: a text file forced to otlp-proto that no format reads (a Zipkin span with a bad id)',
    zipkin({ id: 'xyz' }),
    ['--format', 'otlp-proto'],
    fail('f', 'the file is text (JSON), not OTLP protobuf', PROTO),
  ],
  [
    'protobuf: a binary file forced to jaeger',
    frame(proto),
    ['--format', 'jaeger'],
    fail('f', 'the file is otlp-proto, not jaeger as --format says', wrongFormat('otlp-proto')),
  ],
  // OTLP/JSON and protojson
  [
    'protojson: an id that is not base64',
    otlp({ spanId: '!!!!!!!!!!!=' }),
    [],
    fail(
      'f',
      'line 1, resourceSpans[0].scopeSpans[0].spans[0].spanId "!!!!!!!!!!!=" is not a span id: it is neither 16 hex characters nor base64',
      OTLP,
    ),
  ],
  [
    'protojson: a base64 trace id of 8 bytes',
    otlp({ traceId: 'AAAAAAAAAAE=' }),
    [],
    fail(
      'f',
      'line 1, resourceSpans[0].scopeSpans[0].spans[0].traceId "AAAAAAAAAAE=" is not a trace id: it has 12 characters, not 32 hex characters',
      OTLP,
    ),
  ],
  [
    'OTLP/JSON: an id of the wrong length',
    otlp({ spanId: 'abc' }),
    [],
    fail(
      'f',
      'line 1, resourceSpans[0].scopeSpans[0].spans[0].spanId "abc" is not a span id: it has 3 characters, not 16 hex characters (an exporter that drops leading zeros writes such ids, as Rust\'s opentelemetry-stdout 0.1 did: upgrade it, or pad the ids with zeros on the left)',
      OTLP,
    ),
  ],
  ['Tempo: batches that are not a list', '{"batches": 3}', [], fail('f', 'line 1, batches is not an array', OTLP)],
  // Jaeger
  [
    'Jaeger: a span without traceID',
    jaeger({ traceID: undefined }),
    [],
    fail('f', 'line 1, data[0].spans[0].traceID is missing or not a string', JAEGER),
  ],
  [
    'Jaeger: a span without spanID',
    jaeger({ spanID: undefined }),
    [],
    fail('f', 'line 1, data[0].spans[0].spanID is missing or not a string', JAEGER),
  ],
  [
    'Jaeger: a processID naming no process',
    jaeger({ processID: 'p9' }),
    [],
    fail('f', 'line 1, data[0].spans[0].processID "p9" names no entry of the trace\'s processes', JAEGER),
  ],
  [
    'Jaeger: an unknown reference type',
    jaeger({ references: [{ refType: 'PARENT', traceID: T, spanID: S }] }),
    [],
    fail('f', 'line 1, data[0].spans[0].references[0].refType "PARENT" is not CHILD_OF or FOLLOWS_FROM', JAEGER),
  ],
  [
    'Jaeger: a span id longer than 16',
    jaeger({ spanID: `${S}00` }),
    [],
    fail('f', `line 1, data[0].spans[0].spanID "${S}00" is not a span id: it has 18 characters, more than 16`, JAEGER),
  ],
  ...(['jaeger', 'zipkin', 'go-stdouttrace', 'python-console', 'js-console', 'otlp-proto'] as const).map(
    (format): [string, string, string[], string] => [
      `a sound OTLP/JSON file forced to ${format}`,
      JSON.stringify(encodeOtlpJson([span(S)])),
      ['--format', format],
      fail('f', `the file is otlp-json, not ${format} as --format says`, wrongFormat('otlp-json')),
    ],
  ),
  [
    'Jaeger: a file forced to jaeger that no format reads (a Zipkin span with a bad id)',
    zipkin({ id: 'xyz' }),
    ['--format', 'jaeger'],
    fail('f', 'line 1, [0] is not a trace object ({traceID, spans, processes}): it has no "spans"', JAEGER),
  ],
  // Zipkin
  [
    'Zipkin: a span with a bad id',
    zipkin({ id: 'xyz' }),
    [],
    fail('f', 'line 1, [0].id "xyz" is not a span id: it has characters that are not hex', ZIPKIN),
  ],
  [
    'Zipkin: an unknown kind',
    zipkin({ kind: 'SERVERLESS' }),
    [],
    fail('f', 'line 1, [0].kind "SERVERLESS" is not CLIENT, SERVER, PRODUCER or CONSUMER', ZIPKIN),
  ],
  [
    'Zipkin: a tag that is not a string',
    zipkin({ tags: { 'http.status_code': 200 } }),
    [],
    fail('f', 'line 1, [0].tags.http.status_code 200 is not a string', ZIPKIN),
  ],
  ...[undefined, null, ''].map((id): [string, string, string[], string] => [
    `Zipkin: a span whose id is ${JSON.stringify(id) ?? 'absent'}`,
    zipkin({ id }),
    [],
    fail('f', 'line 1, [0].id is missing or not a string', ZIPKIN),
  ]),
  [
    'Zipkin: an all-zero trace id',
    zipkin({ traceId: '0000000000000000' }),
    [],
    fail('f', 'line 1, [0].traceId "0000000000000000" is not a trace id: it is all zeros', ZIPKIN),
  ],
  // Not a dump: opentelemetry-swift's persistence storage (SpanData batches, each followed by a comma)
  ...[
    ['as stored, a comma after each batch', ','],
    ['one batch alone', ''],
  ].map(([name, after]): [string, string, string[], string] => [
    `opentelemetry-swift's SpanData storage, ${name}`,
    `[{"traceId":{"idHi":1,"idLo":2},"spanId":{"id":3},"name":"checkout","kind":"client","startTime":786000000.5}]${after}`,
    [],
    fail(
      'f',
      "the file is opentelemetry-swift's SpanData as JSONEncoder writes it (the storage of its PersistenceSpanExporterDecorator), not a trace export: its ids are {idHi, idLo} objects and its spans name no service",
      "Export with opentelemetry-swift's OtlpHttpTraceExporter (to tracehop serve, or to a Collector whose file exporter writes the dump) or its ZipkinTraceExporter, and check what that writes.",
    ),
  ]),
  // The span prints tracehop reads (Go's stdouttrace, Python's and JS's ConsoleSpanExporter), cut short:
  // named as what they are, with the first span's missing field
  [
    "OpenTelemetry Go's stdouttrace, pretty-printed, spans without their kinds and times",
    '{\n\t"Name": "HTTP POST",\n\t"SpanContext": {\n\t\t"TraceID": "c7088bfd41f30bdf6d9a040f60246523",\n\t\t"SpanID": "2a048a5e85a6c6af"\n\t}\n}\n{\n\t"Name": "b"\n}\n',
    [],
    fail(
      'f',
      'line 1, SpanKind is missing: every stdouttrace span has one (span "HTTP POST")',
      'Check the file as go.opentelemetry.io/otel/exporters/stdout/stdouttrace wrote it (one JSON object per span, pretty-printed or one a line), or export with otlptracehttp to tracehop serve.',
    ),
  ],
  [
    "OpenTelemetry Python's ConsoleSpanExporter, spans without their times",
    '{\n    "name": "POST /checkout",\n    "context": {\n        "trace_id": "0x5b8aa5a2d2c872e8321cf37308d69df2",\n        "span_id": "0x051581bf3cb55c13",\n        "trace_state": "[]"\n    },\n    "kind": "SpanKind.SERVER",\n    "parent_id": null\n}\n{\n    "name": "b"\n}\n',
    [],
    fail(
      'f',
      'line 1, start_time is missing: a span needs its start and end times (RFC 3339, as ConsoleSpanExporter writes "2026-12-04T16:40:39.728489Z") (span "POST /checkout")',
      "Check the file as opentelemetry-sdk's ConsoleSpanExporter wrote it (ReadableSpan.to_json of each span), or export with opentelemetry-exporter-otlp to tracehop serve.",
    ),
  ],
  [
    "OpenTelemetry JS's ConsoleSpanExporter, a span without its kind",
    "{\n  resource: {\n    attributes: {\n      'service.name': 'payment-api'\n    }\n  },\n  instrumentationScope: { name: '@opentelemetry/instrumentation-http', version: '0.301.2', schemaUrl: undefined },\n  traceId: '15f7f9dd167c7e772c712a5f6a11f2a0',\n  parentSpanContext: undefined,\n  name: 'POST',\n  id: '9f4984915fab44a3',\n  timestamp: 1796319695416000,\n  duration: 25819.943,\n  attributes: {},\n  status: { code: 0 },\n  events: [],\n  links: []\n}\n",
    [],
    fail(
      'f',
      'line 1, kind is missing: every ConsoleSpanExporter span has one (span "POST")',
      "Check the file as @opentelemetry/sdk-trace-base's ConsoleSpanExporter wrote it (console.dir of each span), or export with @opentelemetry/exporter-trace-otlp-http to tracehop serve.",
    ),
  ],
  // Not a dump: SDKs' debugging prints, each named with the exporter to use instead
  ...(
    [
      [
        "OpenTelemetry Java's LoggingSpanExporter, as java.util.logging writes it",
        "Dec 03, 2026 5:34:32 PM io.opentelemetry.exporter.logging.LoggingSpanExporter export\nINFO: 'POST /checkout' : c7088bfd41f30bdf6d9a040f60246523 2a048a5e85a6c6af SERVER [tracer: io.opentelemetry.tomcat-10.0:2.10.0-alpha] AttributesMap{data={http.request.method=POST}, capacity=128, totalAddedValues=1}\n",
        "the file is OpenTelemetry Java's LoggingSpanExporter output (one line of text per span, without parent ids), not a trace export",
        'Use the logging-otlp exporter instead (otel.traces.exporter=logging-otlp) with java.util.logging.SimpleFormatter.format=%5$s%n for its logger, so that each export is a line of OTLP/JSON, or export over OTLP to tracehop serve or a Collector.',
      ],
      ...[
        [
          'verbosity: detailed',
          '2026-12-05T02:26:37.531Z\tinfo\tTraces\t{"otelcol.component.id": "debug", "otelcol.component.kind": "exporter", "otelcol.signal": "traces", "resource spans": 1, "spans": 1}\n2026-12-05T02:26:37.531Z\tinfo\tResourceSpans #0\nResource SchemaURL: \nResource attributes:\n     -> service.name: Str(payment-api)\nScopeSpans #0\nScopeSpans SchemaURL: \nInstrumentationScope checkout \nSpan #0\n    Trace ID       : c1fb3ccc6a3f105d8eaa7ca7e6e17b38\n    Parent ID      : \n    ID             : 777e07e947ecf928\n    Name           : POST /payments\n    Kind           : Server\n\t{"otelcol.component.id": "debug", "otelcol.component.kind": "exporter", "otelcol.signal": "traces"}\n',
        ],
        [
          'verbosity: normal',
          '2026-12-05T02:26:37.531Z\tinfo\tResourceTraces #0 service.name=payment-api\nScopeTraces #0 checkout\nPOST /payments c1fb3ccc6a3f105d8eaa7ca7e6e17b38 777e07e947ecf928 http.route=/payments\n\t{"otelcol.component.id": "debug"}\n',
        ],
        [
          'verbosity: basic',
          '2026-12-05T02:26:37.531Z\tinfo\tTraces\t{"otelcol.component.id": "debug", "otelcol.component.kind": "exporter", "otelcol.signal": "traces", "resource spans": 1, "spans": 2}\n',
        ],
        [
          'detailed, in a JSON log (encoding: json)',
          '{"level":"info","ts":"2026-12-05T02:26:37.531Z","msg":"ResourceSpans #0\\nResource SchemaURL: \\nResource attributes:\\n     -> service.name: Str(payment-api)\\n","otelcol.component.id":"debug"}\n',
        ],
      ].map(
        ([verbosity, body]) =>
          [
            `the Collector's debug exporter, ${verbosity ?? ''}`,
            body ?? '',
            "the file is the OpenTelemetry Collector's debug exporter output (text in the Collector's log, which leaves out parent ids at verbosity basic and normal), not a trace export",
            'Add the file exporter to the traces pipeline beside debug (exporters: [debug, file], with file: {path: ./traces.jsonl}) and check the file it writes.',
          ] as const,
      ),
    ] as const
  ).map(([name, body, cause, hint]): [string, string, string[], string] => [name, body, [], fail('f', cause, hint)]),
  // Not a dump: a trace store's search answer, named with what to fetch instead
  [
    "Grafana Tempo's TraceQL search answer",
    JSON.stringify({
      traces: [
        {
          traceID: 'f20e22c7fc8de46c4008c9ec7f99cbb6',
          rootServiceName: 'mobile-app',
          rootTraceName: 'checkout',
          startTimeUnixNano: '1795683600005000000',
          durationMs: 65,
          spanSets: [{ spans: [{ spanID: '1f51953593135a0e', durationNanos: '65000000' }], matched: 1 }],
        },
        { traceID: 'c1fb3ccc6a3f105d8eaa7ca7e6e17b38', rootServiceName: 'payment-api', durationMs: 25 },
      ],
      metrics: { inspectedBytes: '1024', completedJobs: 1, totalJobs: 1 },
    }),
    [],
    fail(
      'f',
      'line 1 is a Grafana Tempo search answer (/api/search, TraceQL): 2 trace ids with what matched, not whole traces',
      'Fetch each trace whole with GET /api/v2/traces/<traceID> (or /api/traces/<traceID>) for the ids it lists (f20e22c7fc8de46c4008c9ec7f99cbb6, c1fb3ccc6a3f105d8eaa7ca7e6e17b38) and check those answers.',
    ),
  ],
  [
    "Grafana Tempo's search answer that found nothing, with --format otlp-json",
    JSON.stringify({ traces: [], metrics: { inspectedBytes: '0' } }, null, 2),
    ['--format', 'otlp-json'],
    fail(
      'f',
      'the document is a Grafana Tempo search answer (/api/search, TraceQL) that found no traces',
      'Search again (check the query and time range), then fetch each trace it finds whole with GET /api/v2/traces/<traceID> (or /api/traces/<traceID>) and check those answers.',
    ),
  ],
  [
    "Grafana Tempo's search answer cut short (fewer jobs completed than planned)",
    JSON.stringify({
      traces: [{ traceID: 'f20e22c7fc8de46c4008c9ec7f99cbb6', rootServiceName: 'mobile-app', durationMs: 65 }],
      metrics: { inspectedBytes: '1024', totalBlocks: 12, completedJobs: 3, totalJobs: 12 },
    }),
    [],
    fail(
      'f',
      'line 1 is a Grafana Tempo search answer (/api/search, TraceQL): 1 trace id with what matched, not whole traces, from a search cut short (3 of its 12 jobs done)',
      'Fetch each trace whole with GET /api/v2/traces/<traceID> (or /api/traces/<traceID>) for the ids it lists (f20e22c7fc8de46c4008c9ec7f99cbb6) and check those answers; search again first (a narrower time range, or wait for the whole answer), since it may not list every trace that matches.',
    ),
  ],
  [
    "Grafana Tempo's search answer of as many traces as its default limit",
    JSON.stringify({
      traces: Array.from({ length: 20 }, (_, i) => ({ traceID: String(i % 10).repeat(32), rootServiceName: 'app' })),
      metrics: { completedJobs: 1, totalJobs: 1 },
    }),
    [],
    fail(
      'f',
      'line 1 is a Grafana Tempo search answer (/api/search, TraceQL): 20 trace ids with what matched, not whole traces, as many as Tempo lists by default (limit=20)',
      'Fetch each trace whole with GET /api/v2/traces/<traceID> (or /api/traces/<traceID>) for the ids it lists (00000000000000000000000000000000, 11111111111111111111111111111111, 22222222222222222222222222222222, and 17 more) and check those answers; search again first (with a larger limit=), since it may not list every trace that matches.',
    ),
  ],
  [
    // Both Java exporters on: the logged OTLP/JSON export is the one to keep, and its own hint says how.
    "OpenTelemetry Java's LoggingSpanExporter beside logging-otlp",
    'Dec 03, 2026 5:34:32 PM io.opentelemetry.exporter.logging.LoggingSpanExporter export\nINFO: \'POST /checkout\' : c7088bfd41f30bdf6d9a040f60246523 2a048a5e85a6c6af SERVER [tracer: io.opentelemetry.tomcat-10.0:2.10.0-alpha] AttributesMap{data={}, capacity=128, totalAddedValues=1}\nDec 03, 2026 5:34:32 PM io.opentelemetry.exporter.logging.otlp.OtlpJsonLoggingSpanExporter export\nINFO: {"resource":{"attributes":[]},"scopeSpans":[]}\n',
    [],
    fail(
      'f',
      'line 4 holds an OTLP/JSON export after the log prefix "INFO: ": the file is a log of an exporter that writes OTLP/JSON through a logger, not a dump',
      "Write each export alone on its line: under java.util.logging, set java.util.logging.SimpleFormatter.format=%5$s%n for the exporter's logger; or export with the Collector's file exporter; or keep only the JSON of this log (sed -n 's/^INFO: //p' on the file).",
    ),
  ],
  [
    "Jaeger's trace summaries (api/v3)",
    JSON.stringify(
      {
        summaries: [
          {
            traceId: 'f20e22c7fc8de46c4008c9ec7f99cbb6',
            rootServiceName: 'mobile-app',
            rootOperationName: 'checkout',
            spanCount: 4,
            services: [{ name: 'mobile-app', spanCount: 2 }],
          },
        ],
      },
      null,
      2,
    ),
    [],
    fail(
      'f',
      'the document is a Jaeger trace summary answer (/api/v3/trace-summaries): 1 trace id with what matched, not whole traces',
      'Fetch each trace whole with GET /api/v3/traces/<traceID> for the ids it lists (f20e22c7fc8de46c4008c9ec7f99cbb6) and check those answers.',
    ),
  ],
  [
    "Jaeger's api_v2 gRPC answer as grpcurl prints it, with --format jaeger",
    `${JSON.stringify(
      {
        spans: [
          {
            traceId: 'wfs8zGo/EF2Oqnyn5uF7OA==',
            spanId: '05ML8u9PQgQ=',
            operationName: 'POST /fraud/score',
            references: [{ traceId: 'wfs8zGo/EF2Oqnyn5uF7OA==', spanId: '+UXgm++C5DA=' }],
            startTime: '2026-11-26T06:20:00.035Z',
            duration: '0.005s',
            tags: [{ key: 'span.kind', vStr: 'server' }],
            process: { serviceName: 'fraud-service' },
          },
        ],
      },
      null,
      2,
    )}\n`,
    ['--format', 'jaeger'],
    fail(
      'f',
      "the document is a chunk of Jaeger's api_v2 gRPC answer (SpansResponseChunk, as grpcurl prints it), which tracehop does not read",
      "Fetch the trace from Jaeger's HTTP API instead: GET /api/traces/<traceID> (Jaeger JSON) or /api/v3/traces/<traceID> (OTLP/JSON).",
    ),
  ],
  // Not a dump: an HTTP error's body saved instead of traces (curl without -f)
  ...(
    [
      ['a line of text (Tempo)', 'trace not found\n', 'the file is the text "trace not found", not traces'],
      ['a line of text (a Go server)', '404 page not found\n', 'the file is the text "404 page not found", not traces'],
      [
        "a proxy's HTML error page",
        '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
        'the file is an HTML page ("502 Bad Gateway"), not traces: an error page of a proxy or the trace store, or its UI, saved instead of an API answer',
      ],
    ] as const
  ).map(([name, body, cause]): [string, string, string[], string] => [
    `an error answer's body: ${name}`,
    body,
    [],
    fail(
      'f',
      cause.startsWith('the file is the text')
        ? `${cause}; a file of one short line of text is most often a trace store's or a proxy's error answer, saved instead of traces`
        : cause,
      "Fetch the trace from the store's API again (Jaeger: /api/traces/<traceID>; Tempo: /api/v2/traces/<traceID>) with curl -f, which fails on an HTTP error instead of saving its body.",
    ),
  ]),
  ...(
    [
      ['JSON Lines', `${otlp({})}\n${otlp({})}\ntrace not found\n${otlp({})}\n`, 3],
      [
        'pretty documents (jq .)',
        `${JSON.stringify(JSON.parse(otlp({})), null, 2)}\ntrace not found\n${otlp({})}\n`,
        17,
      ],
    ] as const
  ).map(([shape, body, line]): [string, string, string[], string] => [
    `an error answer's body among answers saved one after another (curl >>): ${shape}`,
    body,
    [],
    fail(
      'f',
      `line ${line} is the text "trace not found", not JSON (the body of an HTTP error, which curl without -f saves in place of an answer?)`,
      'Fetch that answer again with curl -f, which fails on an HTTP error instead of saving its body, or delete the line to check the rest.',
    ),
  ]),
  // Across formats
  [
    'mixed formats in one file',
    `${otlp({})}\n${zipkin({})}\n`,
    [],
    '[tracehop] Failed to read spans from "f": line 2 is Zipkin JSON, but line 1 is OTLP/JSON: a file holds one format. Split the dump into one file per format.',
  ],
  [
    'an unknown --format name',
    otlp({}),
    ['--format', 'tempo'],
    `[tracehop] Failed to check: there is no format "tempo"; formats are otlp-json, otlp-proto, jaeger, zipkin, go-stdouttrace, python-console, js-console. Give one of them, or leave --format out to detect the format by content.`,
  ],
  [
    '--format without a name',
    otlp({}),
    ['--format'],
    `[tracehop] Failed to check: --format needs a format name. ${FORMATS}`,
  ],
];

describe('tracehop check on bad input of every format: exit 2, one message naming the file and the place', () => {
  it.each(CASES)('%s', async (_name, body, extra, message) => {
    const dir = tempFiles({});
    writeFileSync(join(dir, 'f'), body);
    const args = extra[0] === '--format' && extra.length === 1 ? ['check', 'f', '--format'] : ['check', ...extra, 'f'];
    const result = await runCli(args, dir);
    expect([result.code, result.stdout, result.stderr.split('\n')[0]]).toEqual([2, '', message]);
  });
});

describe('tracehop check on a file of its own output passed by mistake', () => {
  it.each([
    ['report.html', "the file is tracehop's own HTML report (the report.html tracehop report writes), not traces"],
    ['coverage.md', "the file is tracehop's own Markdown report (the coverage.md tracehop report writes), not traces"],
    ['junit.xml', "the file is tracehop's own JUnit report (the junit.xml tracehop report writes), not traces"],
    [
      'coverage.json',
      "the file is tracehop's own coverage record (the coverage.json tracehop report writes, which tracehop report --merge reads), not traces",
    ],
  ])("names tracehop report's %s as that report, not as an error page or a dump of no format", async (file, cause) => {
    const dir = tempFiles({});
    const report = await runCli([
      'report',
      '--spans',
      join(ROOT, 'fixtures/dumps/checkout-broken.jsonl'),
      '--journeys',
      join(ROOT, 'fixtures/journeys.json'),
      '-o',
      dir,
    ]);
    const result = await runCli(['check', file], dir);
    expect([report.code, result.code, result.stdout, result.stderr]).toEqual([
      1,
      2,
      '',
      `${fail(file, cause, 'Check the dump the report was made from (the DUMP of tracehop report --spans DUMP) instead.')}\n`,
    ]);
  });
});

describe("tracehop check on a dump that holds the words of the Collector's debug exporter", () => {
  const zapLine = '{"level":"info","ts":1796319695.4,"msg":"ResourceSpans #0 queued for export"}';
  it.each([
    [
      'a Zipkin span tagged with them, whose own fault is named',
      `${zipkin({ id: 'xyz', tags: { msg: 'ResourceSpans #0 sent' } })}\n`,
      fail('f', 'line 1, [0].id "xyz" is not a span id: it has characters that are not hex', ZIPKIN),
    ],
    [
      'a JSON log line of them after OTLP/JSON documents, named by its line',
      `${otlp({})}\n${otlp({})}\n${zapLine}\n`,
      fail(
        'f',
        'line 3 is none of the formats tracehop reads (no OTLP "resourceSpans", no Jaeger "data", not a Zipkin list of spans, no stdouttrace "SpanContext", no ConsoleSpanExporter "context")',
        "tracehop reads OTLP/JSON, OTLP protobuf, Jaeger JSON, Zipkin JSON and the spans OpenTelemetry Go's stdouttrace and Python's and JS's ConsoleSpanExporter print; --format names one.",
      ),
    ],
  ])('%s', async (_name, body, message) => {
    const dir = tempFiles({});
    writeFileSync(join(dir, 'f'), body);
    const result = await runCli(['check', 'f'], dir);
    expect([result.code, result.stdout, result.stderr]).toEqual([2, '', `${message}\n`]);
  });
});

describe("tracehop check on a dump with a shell script's comment line", () => {
  const comment = (line: number, text: string): string =>
    fail(
      'f',
      `line ${line} is the comment ${JSON.stringify(text)}, not JSON: JSON has no comments`,
      'Delete the line (a script that writes the dump should write its comments elsewhere) and check the file again.',
    );
  it.each([
    ['after the documents', `${otlp({})}\n${otlp({})}\n# end of export\n`, comment(3, '# end of export')],
    [
      'after the documents, with a time in it',
      `${otlp({})}\n# exported at 2026-12-05T03:00:00Z by dump.sh\n`,
      comment(2, '# exported at 2026-12-05T03:00:00Z by dump.sh'),
    ],
    ['before the documents', `# staging dump\n${otlp({})}\n`, comment(1, '# staging dump')],
    [
      'a Markdown heading, not before documents: no comment',
      '## trace coverage\n\n**0%** of journeys covered\n',
      fail(
        'f',
        "line 1 is not valid JSON (Unexpected token '#')",
        "tracehop reads OTLP/JSON, OTLP protobuf, Jaeger JSON, Zipkin JSON and the spans OpenTelemetry Go's stdouttrace and Python's and JS's ConsoleSpanExporter print; --format names one.",
      ),
    ],
    ['a // comment, CRLF', `${otlp({})}\r\n// done\r\n`, comment(2, '// done')],
  ])('%s', async (_name, body, message) => {
    const dir = tempFiles({});
    writeFileSync(join(dir, 'f'), body);
    const result = await runCli(['check', 'f'], dir);
    expect([result.code, result.stdout, result.stderr]).toEqual([2, '', `${message}\n`]);
  });
});

describe('tracehop check on a file of one JSON value that is no object', () => {
  it.each([['"hello world"'], ['"4bf92f3577b34da6a3ce929d0e0e4736"'], ['42'], ['null'], ['true']])(
    '%s is JSON, named as none of the formats, not as a line of text',
    async (body) => {
      const dir = tempFiles({});
      writeFileSync(join(dir, 'f'), `${body}\n`);
      const result = await runCli(['check', 'f'], dir);
      expect([result.code, result.stdout, result.stderr]).toEqual([
        2,
        '',
        `${fail(
          'f',
          'line 1 is none of the formats tracehop reads (no OTLP "resourceSpans", no Jaeger "data", not a Zipkin list of spans, no stdouttrace "SpanContext", no ConsoleSpanExporter "context")',
          "tracehop reads OTLP/JSON, OTLP protobuf, Jaeger JSON, Zipkin JSON and the spans OpenTelemetry Go's stdouttrace and Python's and JS's ConsoleSpanExporter print; --format names one.",
        )}\n`,
      ]);
    },
  );
});

describe("tracehop check on an error answer's body in UTF-8", () => {
  it.each([
    [
      'a line of text',
      'Trace nicht gefunden – prüfen Sie die ID\n',
      'the file is the text "Trace nicht gefunden – prüfen Sie die ID", not traces; a file of one short line of text is most often a trace store\'s or a proxy\'s error answer, saved instead of traces',
    ],
    [
      'an HTML page',
      '<!DOCTYPE html>\n<html><head><title>Accès refusé — 403</title></head><body></body></html>\n',
      'the file is an HTML page ("Accès refusé — 403"), not traces: an error page of a proxy or the trace store, or its UI, saved instead of an API answer',
    ],
  ])('%s is quoted as written', async (_name, body, cause) => {
    const dir = tempFiles({});
    writeFileSync(join(dir, 'f'), body);
    const result = await runCli(['check', 'f'], dir);
    expect([result.code, result.stdout, result.stderr]).toEqual([
      2,
      '',
      `${fail(
        'f',
        cause,
        "Fetch the trace from the store's API again (Jaeger: /api/traces/<traceID>; Tempo: /api/v2/traces/<traceID>) with curl -f, which fails on an HTTP error instead of saving its body.",
      )}\n`,
    ]);
  });
});
