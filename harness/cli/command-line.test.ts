import { parseCheckArgs } from './check';
import { parseCommandLine, type OptionTable } from './command-line';
import { parseInitArgs } from './init';
import { parseReportArgs } from './report';
import { parseServeArgs } from './serve';

const TABLE: OptionTable = {
  json: { kind: 'flag' },
  out: { kind: 'value', short: 'o' },
  ratio: { kind: 'value', missing: 'pass' },
  merge: { kind: 'list' },
};

describe('parseCommandLine: one syntax for every command', () => {
  test.each<[string, string[], unknown]>([
    [
      '--x v and --x=v and -x v',
      ['--out', 'a', '--out=b', '-o', 'c'],
      {
        options: [
          { name: 'out', flag: '--out', value: 'a' },
          { name: 'out', flag: '--out', value: 'b' },
          { name: 'out', flag: '-o', value: 'c' },
        ],
        positionals: [],
        lists: { merge: [] },
      },
    ],
    [
      '-- ends the options',
      ['--json', '--', '--out', '-o'],
      {
        options: [{ name: 'json', flag: '--json', value: undefined }],
        positionals: ['--out', '-o'],
        lists: { merge: [] },
      },
    ],
    [
      'a list collects what follows, up to the next option; an inline item comes first',
      ['--merge=a', 'b', 'c', '--json', 'd'],
      {
        options: [
          { name: 'merge', flag: '--merge', value: 'a' },
          { name: 'json', flag: '--json', value: undefined },
        ],
        positionals: ['d'],
        lists: { merge: ['a', 'b', 'c'] },
      },
    ],
    [
      'a lenient value gets whatever came, even another option or nothing',
      ['--ratio', '-1', '--ratio'],
      {
        options: [
          { name: 'ratio', flag: '--ratio', value: '-1' },
          { name: 'ratio', flag: '--ratio', value: undefined },
        ],
        positionals: [],
        lists: { merge: [] },
      },
    ],
    ['"-" is an argument, not an option', ['-'], { options: [], positionals: ['-'], lists: { merge: [] } }],
  ])('%s', (_name, args, value) => {
    expect(parseCommandLine(args, TABLE)).toEqual({ ok: true, help: false, value });
  });

  test.each<[string[], unknown]>([
    [['--json', '-h'], { ok: true, help: true }],
    [['--bogus', '--help'], { ok: true, help: true }],
    [
      ['--bogus=1'],
      {
        ok: false,
        reason: 'unknown-option',
        arg: '--bogus=1',
        flag: '--bogus',
        message: 'there is no option "--bogus=1"',
      },
    ],
    ...(['-xj', '-hourly.jsonl', '-o=out', '-oout', '-jh'] as const).map((arg): [string[], unknown] => [
      [arg],
      {
        ok: false,
        reason: 'unknown-option',
        arg,
        flag: arg.slice(0, 2),
        message: `there is no option "${arg}" (short options stand alone, as in "-o DIR"; put "--" before a file name that starts with "-")`,
      },
    ]),
    // "--" taken as --out's value: the file after it is not read as -d -a -s -h ...
    [
      ['--out', '--', '-dash.jsonl'],
      { ok: false, reason: 'missing-value', arg: '--out', flag: '--out', message: '--out needs a value' },
    ],
    [['-h', '-hourly.jsonl'], { ok: true, help: true }],
    [
      ['--json=yes'],
      { ok: false, reason: 'unexpected-value', arg: '--json=yes', flag: '--json', message: '--json takes no value' },
    ],
    [['--out'], { ok: false, reason: 'missing-value', arg: '--out', flag: '--out', message: '--out needs a value' }],
    [['--out='], { ok: false, reason: 'missing-value', arg: '--out=', flag: '--out', message: '--out needs a value' }],
    [['-o', '--json'], { ok: false, reason: 'missing-value', arg: '-o', flag: '-o', message: '-o needs a value' }],
    [['--', '-h'], { ok: true, help: false, value: { options: [], positionals: ['-h'], lists: { merge: [] } } }],
  ])('%j', (args, result) => {
    expect(parseCommandLine(args, TABLE)).toEqual(result);
  });
});

const FORMAT_HINT =
  'Give one of otlp-json, otlp-proto, jaeger, zipkin, go-stdouttrace, python-console, js-console, or leave --format out to detect the format by content.';

const REPORT_OPTIONS_HINT =
  'Options are --merge, --spans, --format, --journeys, --out (-o), --previous, --redact-headers, --suite-threshold, --journey-threshold and --platform-threshold.';

describe('an argument that is no option, in every command', () => {
  // One wording whichever command is given it: the argument, the command's options, its usage on a line of its own.
  test.each<[string, (args: readonly string[]) => unknown, string]>([
    [
      'check',
      parseCheckArgs,
      '[tracehop] Failed to check: there is no option "--bogus". Options are --expect, --journeys, --journey, --accept-links, --skew-tolerance, --max-trees, --format and --json.',
    ],
    [
      'init',
      parseInitArgs,
      '[tracehop] Failed to init: there is no option "--bogus". The only option is --dry-run.\nUsage: tracehop init [--dry-run]',
    ],
    [
      'serve',
      parseServeArgs,
      '[tracehop] Failed to start tracehop serve: there is no option "--bogus". Options are --topology, --faults and --port.\nUsage: tracehop serve [--topology FILE] [--faults LIST] [--port NAME=PORT,...]',
    ],
    [
      'report',
      parseReportArgs,
      `[tracehop] Failed to read the report arguments: there is no option "--bogus". ${REPORT_OPTIONS_HINT}\nUsage: tracehop report --merge COVERAGE.json... -o DIR, or tracehop report --spans DUMP... [--format NAME] --journeys FILE -o DIR (-o is also --out; --otlp is the old name of --spans; ratios as 0.8 or 80%) [--previous COVERAGE.json] [--redact-headers a,b] [--suite-threshold 0..1] [--journey-threshold 0..1] [--journey-threshold NAME=0..1]... [--platform-threshold PLATFORM:suite=0..1] [--platform-threshold PLATFORM:journey=0..1] [--platform-threshold PLATFORM:NAME=0..1]...`,
    ],
  ])('tracehop %s --bogus', (_command, parse, message) => {
    // check prints its usage after the message itself (runCheck), so its message ends at the options.
    expect(parse(['--bogus'])).toEqual({
      ok: false,
      reason: 'usage',
      message,
    });
  });
});

describe('tracehop check arguments', () => {
  const hint = 'Example: --expect mobile-app,api-gateway,payment-api.';
  test.each<[string[], unknown]>([
    [['a.json'], { ok: true, args: { files: ['a.json'], acceptLinks: false, maxTrees: 3, json: false } }],
    [
      ['--expect', 'a,b', '--json', 'x', 'y'],
      { ok: true, args: { files: ['x', 'y'], expect: ['a', 'b'], acceptLinks: false, maxTrees: 3, json: true } },
    ],
    [
      ['--expect=a, b', '--', '--json'],
      { ok: true, args: { files: ['--json'], expect: ['a', 'b'], acceptLinks: false, maxTrees: 3, json: false } },
    ],
    [
      ['--journeys', 'j.json', '--journey=login', '--accept-links', '--skew-tolerance', '2.5', '--max-trees=0', 'x'],
      {
        ok: true,
        args: {
          files: ['x'],
          journeysFile: 'j.json',
          journey: 'login',
          acceptLinks: true,
          skewToleranceMs: 2.5,
          maxTrees: 0,
          json: false,
        },
      },
    ],
    [
      ['--format', 'zipkin', '--expect=a,b', 'x'],
      {
        ok: true,
        args: { files: ['x'], expect: ['a', 'b'], acceptLinks: false, maxTrees: 3, json: false, format: 'zipkin' },
      },
    ],
    [
      ['--format=otlp-proto', 'x.pb'],
      { ok: true, args: { files: ['x.pb'], acceptLinks: false, maxTrees: 3, json: false, format: 'otlp-proto' } },
    ],
    [['-h'], { ok: 'help' }],
    [['x', '--help'], { ok: 'help' }],
    [
      [],
      {
        ok: false,
        reason: 'usage',
        message:
          "[tracehop] Failed to check: no files given. Pass one or more dumps: OTLP/JSON (a document or JSON Lines), OTLP protobuf, Jaeger JSON, Zipkin JSON, or the spans OpenTelemetry Go's stdouttrace or Python's or JS's ConsoleSpanExporter printed.",
      },
    ],
    [
      ['--expect'],
      {
        ok: false,
        reason: 'usage',
        message: `[tracehop] Failed to check: --expect needs a comma-separated list of service names. ${hint}`,
      },
    ],
    [
      ['--expect', '--json', 'x'],
      {
        ok: false,
        reason: 'usage',
        message: `[tracehop] Failed to check: --expect needs a comma-separated list of service names, but it is followed by the option "--json". ${hint}`,
      },
    ],
    [
      ['--expect', 'a,,b', 'x'],
      {
        ok: false,
        reason: 'usage',
        message: `[tracehop] Failed to check: --expect "a,,b" has an empty service name at position 2. ${hint}`,
      },
    ],
    [
      ['--expect', 'mobile-app', 'x'],
      {
        ok: false,
        reason: 'usage',
        message:
          '[tracehop] Failed to check: --expect "mobile-app" names one service, so it has no hop to check and would pass any trace. Name the chain\'s services in call order, at least two: --expect mobile-app,api-gateway,payment-api.',
      },
    ],
    [
      ['--expect', 'a,a', 'x'],
      { ok: false, reason: 'usage', message: `[tracehop] Failed to check: --expect "a,a" names "a" twice. ${hint}` },
    ],
    [
      ['--expect', 'a', '--expect=b', 'x'],
      {
        ok: false,
        reason: 'usage',
        message:
          '[tracehop] Failed to check: --expect is given twice. Give one list: --expect mobile-app,api-gateway,payment-api.',
      },
    ],
    [
      ['--jsn', 'x'],
      {
        ok: false,
        reason: 'usage',
        message:
          '[tracehop] Failed to check: there is no option "--jsn" (did you mean "--json"?). Options are --expect, --journeys, --journey, --accept-links, --skew-tolerance, --max-trees, --format and --json.',
      },
    ],
    // A dump named "-hourly.jsonl" once read as -h (help, exit 0): a broken dump passed unseen.
    ...(['-hourly.jsonl', '--logs/run.jsonl'] as const).map((file): [string[], unknown] => [
      ['--json', file],
      {
        ok: false,
        reason: 'usage',
        message: `[tracehop] Failed to check: there is no option "${file}" (${file.startsWith('--') ? '' : 'short options stand alone, as in "-o DIR"; '}put "--" before a file name that starts with "-"). Options are --expect, --journeys, --journey, --accept-links, --skew-tolerance, --max-trees, --format and --json.`,
      },
    ]),
    // Once "there is no option "--json=1"", though --json is one: what is wrong is the value.
    [
      ['--json=1', 'x'],
      { ok: false, reason: 'usage', message: '[tracehop] Failed to check: --json takes no value. Write --json alone.' },
    ],
    [
      ['--accept-links=yes', 'x'],
      {
        ok: false,
        reason: 'usage',
        message: '[tracehop] Failed to check: --accept-links takes no value. Write --accept-links alone.',
      },
    ],
    [
      ['--format', 'x'],
      {
        ok: false,
        reason: 'usage',
        message: `[tracehop] Failed to check: there is no format "x"; formats are otlp-json, otlp-proto, jaeger, zipkin, go-stdouttrace, python-console, js-console. Give one of them, or leave --format out to detect the format by content.`,
      },
    ],
    [
      ['--format', '--json', 'x'],
      {
        ok: false,
        reason: 'usage',
        message: `[tracehop] Failed to check: --format needs a format name. ${FORMAT_HINT}`,
      },
    ],
    [
      ['--format', 'jaeger', '--format=zipkin', 'x'],
      { ok: false, reason: 'usage', message: '[tracehop] Failed to check: --format is given twice. Give it once.' },
    ],
  ])('%j', (args, result) => {
    expect(parseCheckArgs(args)).toEqual(result);
  });
});

describe('tracehop serve arguments', () => {
  const hint =
    'Options are --topology, --faults and --port.\nUsage: tracehop serve [--topology FILE] [--faults LIST] [--port NAME=PORT,...]';
  test.each<[string[], unknown]>([
    [[], { ok: true, value: { faults: [], ports: [] } }],
    [
      ['--topology', 't.json', '--faults=a:b', '--port', 'x=1', '--port=otlp=2', '--faults', 'c:d'],
      { ok: true, value: { topologyFile: 't.json', faults: ['a:b', 'c:d'], ports: ['x=1', 'otlp=2'] } },
    ],
    // The first was once dropped silently, b.json's services started in its place.
    [
      ['--topology=a.json', '--topology', 'b.json'],
      {
        ok: false,
        reason: 'usage',
        message: '[tracehop] Failed to start tracehop serve: --topology is given twice. Give it once.',
      },
    ],
    [['--port', 'x=1', '--'], { ok: true, value: { faults: [], ports: ['x=1'] } }],
    [['-h'], { ok: 'help' }],
    [
      ['--topology'],
      {
        ok: false,
        reason: 'usage',
        message: `[tracehop] Failed to start tracehop serve: --topology needs a value. ${hint}`,
      },
    ],
    [
      ['--faults='],
      {
        ok: false,
        reason: 'usage',
        message: `[tracehop] Failed to start tracehop serve: --faults needs a value. ${hint}`,
      },
    ],
    [
      ['--port', '--faults', 'a:b'],
      {
        ok: false,
        reason: 'usage',
        message: `[tracehop] Failed to start tracehop serve: --port needs a value. ${hint}`,
      },
    ],
    [
      ['--prot=1'],
      {
        ok: false,
        reason: 'usage',
        message: `[tracehop] Failed to start tracehop serve: there is no option "--prot=1" (did you mean "--port"?). ${hint}`,
      },
    ],
    [
      ['extra'],
      {
        ok: false,
        reason: 'usage',
        message: `[tracehop] Failed to start tracehop serve: there is no option "extra". ${hint}`,
      },
    ],
  ])('%j', (args, result) => {
    expect(parseServeArgs(args)).toEqual(result);
  });
});

describe('tracehop report arguments', () => {
  const usage =
    'Usage: tracehop report --merge COVERAGE.json... -o DIR, or tracehop report --spans DUMP... [--format NAME] --journeys FILE -o DIR ' +
    '(-o is also --out; --otlp is the old name of --spans; ratios as 0.8 or 80%) ' +
    '[--previous COVERAGE.json] [--redact-headers a,b] [--suite-threshold 0..1] [--journey-threshold 0..1] [--journey-threshold NAME=0..1]... ' +
    '[--platform-threshold PLATFORM:suite=0..1] [--platform-threshold PLATFORM:journey=0..1] [--platform-threshold PLATFORM:NAME=0..1]...';
  const usageError = (cause: string): unknown => ({
    ok: false,
    reason: 'usage',
    message: `[tracehop] Failed to read the report arguments: ${cause}. ${usage}`,
  });
  // A command-line failure (an argument that is no option, an option's missing value) names the options.
  const noOption = (cause: string): unknown => ({
    ok: false,
    reason: 'usage',
    message: `[tracehop] Failed to read the report arguments: ${cause}. ${REPORT_OPTIONS_HINT}\n${usage}`,
  });
  const merged = { spans: [], redactHeaders: [], journeys: undefined, previous: undefined };
  test.each<[string[], unknown]>([
    [
      ['--merge', 'a.json', 'b.json', '-o', 'out'],
      { ok: true, value: { ...merged, merge: ['a.json', 'b.json'], out: 'out', thresholds: { journeys: {} } } },
    ],
    [
      ['--merge=a.json', '--out=out', '--merge', 'b.json', '--redact-headers', 'x,y', '--previous', 'p.json'],
      {
        ok: true,
        value: {
          ...merged,
          merge: ['a.json', 'b.json'],
          out: 'out',
          previous: 'p.json',
          redactHeaders: ['x', 'y'],
          thresholds: { journeys: {} },
        },
      },
    ],
    [
      ['--otlp', 'd.jsonl', '--journeys', 'j.json', '-o', 'out', '--suite-threshold', '80%'],
      {
        ok: true,
        value: {
          ...merged,
          spans: ['d.jsonl'],
          journeys: 'j.json',
          merge: [],
          out: 'out',
          thresholds: { suite: 0.8, journeys: {} },
        },
      },
    ],
    [
      ['--merge', 'a.json', '-o', 'o', '--journey-threshold', '0.5', '--journey-threshold=checkout=1'],
      {
        ok: true,
        value: { ...merged, merge: ['a.json'], out: 'o', thresholds: { journey: 0.5, journeys: { checkout: 1 } } },
      },
    ],
    [
      ['--spans', 'a.pb', '--otlp=b.jsonl', '--format', 'otlp-proto', '--journeys=j.json', '-o', 'out'],
      {
        ok: true,
        value: {
          ...merged,
          spans: ['a.pb', 'b.jsonl'],
          format: 'otlp-proto',
          journeys: 'j.json',
          merge: [],
          out: 'out',
          thresholds: { journeys: {} },
        },
      },
    ],
    [
      [
        '--merge',
        'a.json',
        '-o',
        'o',
        '--platform-threshold',
        'android:suite=0.5',
        '--platform-threshold=android:checkout=0.66',
        '--platform-threshold',
        'ios:journey=80%',
      ],
      {
        ok: true,
        value: {
          ...merged,
          merge: ['a.json'],
          out: 'o',
          thresholds: {
            journeys: {},
            platforms: { android: { suite: 0.5, journeys: { checkout: 0.66 } }, ios: { journey: 0.8 } },
          },
        },
      },
    ],
    [['--merge', 'a.json', '--help'], { ok: 'help' }],
    [['--merge', 'a.json', '-o'], noOption('-o needs a value')],
    [['--merge', 'a.json', '--out', '--previous', 'p'], noOption('--out needs a value')],
    [['stray.json', '-o', 'o'], noOption('there is no option "stray.json"')],
    [['--merge', 'a.json', '-o', 'o', 'stray.json'], noOption('there is no option "stray.json"')],
    [['--mrege', 'a.json'], noOption('there is no option "--mrege" (did you mean "--merge"?)')],
    [['-o', 'o'], usageError('give either --merge or --spans with at least one file')],
    [['--merge', 'a', '--otlp', 'b', '-o', 'o'], usageError('give either --merge or --spans with at least one file')],
    [['--merge', 'a', '--spans', 'b', '-o', 'o'], usageError('give either --merge or --spans with at least one file')],
    [['--merge', 'a'], usageError('the output directory (-o DIR) is missing')],
    [['--otlp', 'a', '-o', 'o'], usageError('--spans needs --journeys FILE')],
    [['--spans', 'a', '--journeys', 'j', '-o', 'o', '--format'], noOption('--format needs a value')],
    // Once "Failed to read the options", in words of neither command.
    [
      ['--spans', 'd', '--journeys', 'j', '-o', 'o', '--format', 'tempo'],
      {
        ok: false,
        reason: 'usage',
        message:
          '[tracehop] Failed to read the report arguments: there is no format "tempo"; formats are otlp-json, otlp-proto, jaeger, zipkin, go-stdouttrace, python-console, js-console. Give one of them, or leave --format out to detect the format by content.',
      },
    ],
    [
      ['--merge', 'a', '-o', 'o', '--format', 'jaeger'],
      {
        ok: false,
        reason: 'usage',
        message:
          '[tracehop] Failed to read the report arguments: --format is for --spans only. Drop --format with --merge.',
      },
    ],
    [
      ['--merge', 'a', '-o', 'o', '--platform-threshold', 'watch:suite=1'],
      {
        ok: false,
        reason: 'usage',
        message:
          '[tracehop] Failed to read --platform-threshold: "watch" is not a platform. Write it as android:suite=0.8, android:journey=0.9 or android:checkout=0.66 (platforms: ios, android, web).',
      },
    ],
    [
      ['--merge', 'a', '-o', 'o', '--platform-threshold'],
      {
        ok: false,
        reason: 'usage',
        message:
          '[tracehop] Failed to read --platform-threshold: "" is not PLATFORM:suite|journey|NAME=RATIO. Write it as android:suite=0.8, android:journey=0.9 or android:checkout=0.66 (platforms: ios, android, web).',
      },
    ],
    [
      ['--merge', 'a', '-o', 'o', '--suite-threshold', '-1'],
      {
        ok: false,
        reason: 'usage',
        message:
          '[tracehop] Failed to read --suite-threshold: "-1" is not a ratio between 0 and 1. Write it as 0.8 or 80%.',
      },
    ],
    [
      ['--merge', 'a', '-o', 'o', '--journey-threshold'],
      {
        ok: false,
        reason: 'usage',
        message:
          '[tracehop] Failed to read --journey-threshold: "" is not a ratio between 0 and 1. Write it as 0.8 or 80%.',
      },
    ],
    [
      ['--merge', 'a', '-o', 'o', '--journey-threshold', '=0.5'],
      {
        ok: false,
        reason: 'usage',
        message:
          '[tracehop] Failed to read --journey-threshold: "=0.5" names no journey before "=". Write it as checkout=0.8, or 0.8 for every journey.',
      },
    ],
    ...['--journey-threshold=__proto__=0.5', '--platform-threshold=android:__proto__=0.5'].map(
      (flag): [string[], unknown] => [
        ['--merge', 'a', '-o', 'o', flag],
        {
          ok: false,
          reason: 'usage',
          message: `[tracehop] Failed to read ${flag.slice(0, flag.indexOf('='))}: "__proto__" is not a journey name. Journey names are lowercase letters, digits, ".", "_" or "-", as in the journeys file: write checkout=0.8.`,
        },
      ],
    ),
    // Each was once taken from the last: "-o a -o b" wrote to b, a second --journeys judged against that file.
    ...(
      [
        [['-o', 'o', '--out=p'], '-o (--out)'],
        [['-o', 'o', '--spans', 'd', '--journeys', 'j', '--journeys', 'k'], '--journeys'],
        [['-o', 'o', '--spans', 'd', '--journeys', 'j', '--format', 'jaeger', '--format=zipkin'], '--format'],
        [['-o', 'o', '--merge', 'a', '--previous', 'p', '--previous', 'q'], '--previous'],
        [['-o', 'o', '--merge', 'a', '--suite-threshold', '0.5', '--suite-threshold', '90%'], '--suite-threshold'],
        [['-o', 'o', '--merge', 'a', '--journey-threshold', '0.5', '--journey-threshold=1'], '--journey-threshold'],
        [
          ['-o', 'o', '--merge', 'a', '--journey-threshold', 'checkout=0.5', '--journey-threshold', 'checkout=1'],
          '--journey-threshold checkout',
        ],
        [
          ['-o', 'o', '--merge', 'a', '--platform-threshold', 'ios:suite=1', '--platform-threshold', 'ios:suite=0.5'],
          '--platform-threshold ios:suite',
        ],
      ] as const
    ).map(([args, what]): [string[], unknown] => [
      [...args],
      {
        ok: false,
        reason: 'usage',
        message: `[tracehop] Failed to read the report arguments: ${what} is given twice. Give it once.`,
      },
    ]),
    [
      ['--merge', 'a', '-o', 'o', '--journeys', 'j.json'],
      {
        ok: false,
        reason: 'usage',
        message:
          '[tracehop] Failed to read the report arguments: --journeys is for --spans only: --merge takes the journeys from the coverage files. Drop --journeys, or build the shards with that journeys file.',
      },
    ],
  ])('%j', (args, result) => {
    expect(parseReportArgs(args)).toEqual(result);
  });
});

describe('tracehop init arguments', () => {
  const usage = (cause: string): unknown => ({
    ok: false,
    reason: 'usage',
    message: `[tracehop] Failed to init: ${cause}. The only option is --dry-run.\nUsage: tracehop init [--dry-run]`,
  });
  test.each<[string[], unknown]>([
    [[], { ok: true, value: { dryRun: false } }],
    [['--dry-run'], { ok: true, value: { dryRun: true } }],
    [['--dry-run', '--dry-run'], { ok: true, value: { dryRun: true } }],
    [['--dry-run', '--'], { ok: true, value: { dryRun: true } }],
    [['-h'], { ok: 'help' }],
    [['--force', '--help'], { ok: 'help' }],
    [['--force'], usage('there is no option "--force"')],
    [['--dryrun'], usage('there is no option "--dryrun" (did you mean "--dry-run"?)')],
    [['--dry-run=yes'], usage('--dry-run takes no value')],
    [['app'], usage('there is no option "app"')],
  ])('%j', (args, result) => {
    expect(parseInitArgs(args)).toEqual(result);
  });
});
