import { makeSpan } from '../test-support/make-span';
import { kindlessNote, kindlessSpansNote } from './kindless-spans';

describe('kindlessSpansNote', () => {
  const kindless = [
    makeSpan({ id: 'a1', kind: 'unspecified' }),
    makeSpan({ id: 'a2', parent: 'a1', kind: 'unspecified' }),
  ];

  it('notes a Jaeger file none of whose spans has a kind, counting them', () => {
    expect([
      kindlessSpansNote('grafana.json', kindless, 'jaeger'),
      kindlessSpansNote('one.json', kindless.slice(0, 1), 'jaeger'),
    ]).toEqual([
      `[tracehop] Note: "grafana.json" is Jaeger JSON whose spans say no kind (none of its 2 spans has a span.kind tag: Grafana's trace download leaves them out of a Jaeger trace it read from Jaeger's api/v3, and a tracer that sets no span kind writes none): no span is a CLIENT, SERVER, PRODUCER or CONSUMER, so a lost hop is judged by parentage alone and named less exactly. Download the trace from Jaeger itself (Download JSON in Jaeger's UI, or GET /api/traces/{traceID}), and have each service's tracer set its spans' kind, for a check that knows each span's kind.`,
      `[tracehop] Note: "one.json" is Jaeger JSON whose spans say no kind (its one span has no span.kind tag: Grafana's trace download leaves them out of a Jaeger trace it read from Jaeger's api/v3, and a tracer that sets no span kind writes none): no span is a CLIENT, SERVER, PRODUCER or CONSUMER, so a lost hop is judged by parentage alone and named less exactly. Download the trace from Jaeger itself (Download JSON in Jaeger's UI, or GET /api/traces/{traceID}), and have each service's tracer set its spans' kind, for a check that knows each span's kind.`,
    ]);
  });

  it('notes several files once, naming the first three and counting their spans', () => {
    const files = ['a.json', 'b.json', 'c.json', 'd.json'].map((file) => ({ file, spans: 7 }));
    expect([kindlessNote(files), kindlessNote(files.slice(0, 2))]).toEqual([
      `[tracehop] Note: 4 files ("a.json", "b.json", "c.json" and 1 more) are Jaeger JSON whose spans say no kind (none of their 28 spans has a span.kind tag: Grafana's trace download leaves them out of a Jaeger trace it read from Jaeger's api/v3, and a tracer that sets no span kind writes none): no span is a CLIENT, SERVER, PRODUCER or CONSUMER, so a lost hop is judged by parentage alone and named less exactly. Download the trace from Jaeger itself (Download JSON in Jaeger's UI, or GET /api/traces/{traceID}), and have each service's tracer set its spans' kind, for a check that knows each span's kind.`,
      `[tracehop] Note: 2 files ("a.json", "b.json") are Jaeger JSON whose spans say no kind (none of their 14 spans has a span.kind tag: Grafana's trace download leaves them out of a Jaeger trace it read from Jaeger's api/v3, and a tracer that sets no span kind writes none): no span is a CLIENT, SERVER, PRODUCER or CONSUMER, so a lost hop is judged by parentage alone and named less exactly. Download the trace from Jaeger itself (Download JSON in Jaeger's UI, or GET /api/traces/{traceID}), and have each service's tracer set its spans' kind, for a check that knows each span's kind.`,
    ]);
  });

  it('says nothing when one span has a kind, of another format, or of no spans', () => {
    const one = [...kindless, makeSpan({ id: 'a3', parent: 'a2', kind: 'server' })];
    expect([
      kindlessSpansNote('a.json', one, 'jaeger'),
      kindlessSpansNote('a.json', kindless, 'zipkin'),
      kindlessSpansNote('a.json', kindless, 'otlp-json'),
      kindlessSpansNote('a.json', [], 'jaeger'),
    ]).toEqual([undefined, undefined, undefined, undefined]);
  });
});
