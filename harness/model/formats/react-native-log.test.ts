import { detectReactNativeLog, readReactNativeLog } from './react-native-log';

/** React Native's console.log of a span, as its polyfill lays it out (see fixtures/dumps/mobile-logs). */
const SPAN = (id: string, name: string): string[] => [
  "{ resource: { attributes: { 'service.name': 'checkout-app' } },",
  "  instrumentationScope: { name: 'checkout', version: '1.0.0', schemaUrl: undefined },",
  "  traceId: '5b8efff798038103d269b633813fc60c',",
  '  parentSpanContext: undefined,',
  '  traceState: undefined,',
  `  name: '${name}',`,
  `  id: '${id}',`,
  '  kind: 0,',
  '  timestamp: 1796519703640000,',
  '  duration: 12000,',
  '  attributes: {},',
  '  status: { code: 0 },',
  '  events: [],',
  '  links: [] }',
];

describe('detectReactNativeLog', () => {
  it.each([
    [
      '12-06 01:02:03.456  4321  4350 I ReactNativeJS: a\n12-06 01:02:03.456  4321  4350 I ReactNativeJS: b\n',
      'logcat-threadtime',
    ],
    [
      '2026-12-06 01:02:03.456  4321  4350 I ReactNativeJS: a\n2026-12-06 01:02:03.456  4321  4350 I ReactNativeJS: b\n',
      'logcat-threadtime',
    ],
    ['12-06 01:02:03.456 I/ReactNativeJS( 4321): a\n12-06 01:02:03.456 I/ReactNativeJS( 4321): b\n', 'logcat-time'],
    ['I/ReactNativeJS( 4321): a\nI/ReactNativeJS( 4321): b\n', 'logcat-brief'],
    [
      '2026-12-06 01:02:03.456123+0000 0x2b1c4    Default     0x0                  4321   0    App: (React) [com.facebook.react.log:javascript] a\n',
      'ios-log-stream',
    ],
    [
      '12-06 01:02:03.456  1630  1702 I ActivityManager: a\n12-06 01:02:03.456  1630  1702 I ActivityManager: b\n',
      undefined,
    ],
    ['ReactNativeJS: a\nReactNativeJS: b\n', undefined],
  ])('%j is %s', (head, form) => {
    expect(detectReactNativeLog(head)).toBe(form);
  });
});

describe('readReactNativeLog', () => {
  it("reads two processes' prints interleaved line by line, each apart", () => {
    const a = SPAN('53995c3f42cd8ad8', 'a').map((line) => `I/ReactNativeJS( 4321): ${line}`);
    const b = SPAN('eee19b7ec3c1b174', 'b').map((line) => `I/ReactNativeJS( 4400): ${line}`);
    const text = a.flatMap((line, i) => [line, b[i] ?? '']).join('\n');
    const result = readReactNativeLog(text, 'app.log', 'logcat-brief');
    expect(result.ok && result.spans.map((span) => [span.name, span.spanId, span.source?.line])).toEqual([
      ['a', '53995c3f42cd8ad8', 1],
      ['b', 'eee19b7ec3c1b174', 2],
    ]);
  });

  it('skips an object the app logged that is no span, and says so', () => {
    const text = [
      "I/ReactNativeJS( 4321): { traceId: '5b8efff798038103d269b633813fc60c', msg: 'paid' }",
      ...SPAN('53995c3f42cd8ad8', 'a').map((line) => `I/ReactNativeJS( 4321): ${line}`),
    ].join('\n');
    const result = readReactNativeLog(text, 'app.log', 'logcat-brief');
    expect(result.ok && [result.spans.length, result.notes]).toEqual([
      1,
      [
        "[tracehop] Note: \"app.log\" is Android logcat output (adb logcat -v brief): the span a React Native app logged with console.log was read from its JS console's lines, and 1 other line of it skipped; other apps' and tags' lines were left out.",
      ],
    ]);
  });
});
