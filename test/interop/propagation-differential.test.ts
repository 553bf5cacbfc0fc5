/**
 * Differential tests: our traceparent, tracestate and baggage decoders (harness/propagation) against
 * OpenTelemetry JS's own extraction (@opentelemetry/core). Wherever both carry a value they must carry the same
 * one; every disagreement must be a row of the intended-divergence table (test/interop/divergences.ts), which
 * docs/interop.md renders.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { DIVERGENCES, explain, renderDivergenceTable, type DisagreementKind, type HeaderName } from './divergences';
import {
  otelBaggage,
  otelTraceparent,
  otelTracestate,
  oursBaggage,
  oursTraceparent,
  oursTracestate,
  type HeaderLines,
  type Parsed,
} from './otel-reference';

const NUM_RUNS = 400;

// ---- comparing ----

/** What a parser carries forward: its value, or the empty value when it rejected the header. */
function carried(header: HeaderName, parsed: Parsed<unknown>): unknown {
  if (parsed.value !== undefined) return parsed.value;
  return header === 'traceparent' ? undefined : header === 'tracestate' ? [] : {};
}

function isEmpty(value: unknown): boolean {
  if (value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

const PARSERS: Record<
  HeaderName,
  { ours: (lines: HeaderLines) => Parsed<unknown>; otel: (lines: HeaderLines) => Parsed<unknown> }
> = {
  traceparent: { ours: oursTraceparent, otel: otelTraceparent },
  tracestate: { ours: oursTracestate, otel: otelTracestate },
  baggage: { ours: oursBaggage, otel: otelBaggage },
};

type Verdict =
  | { readonly agree: true }
  | { readonly agree: false; readonly kind: DisagreementKind; readonly row?: string; readonly shown: string };

/** JSON with every non-ASCII character escaped, so invisible spaces (U+00A0, U+FEFF, U+2028) show. */
function show(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function outcome(parsed: Parsed<unknown>): string {
  if (parsed.value !== undefined) return show(parsed.value);
  return parsed.reason === undefined ? 'rejected' : `rejected (${parsed.reason})`;
}

/** Runs both parsers on one header and says whether they agree, and if not, which table row explains it. */
function compare(header: HeaderName, lines: HeaderLines): Verdict {
  const ours = PARSERS[header].ours(lines);
  const otel = PARSERS[header].otel(lines);
  const oursValue = carried(header, ours);
  const otelValue = carried(header, otel);
  if (isDeepStrictEqual(oursValue, otelValue)) return { agree: true };
  const kind: DisagreementKind =
    ours.value === undefined && !isEmpty(otelValue)
      ? 'ours-rejects'
      : !isEmpty(oursValue) && isEmpty(otelValue)
        ? 'otel-rejects'
        : 'values-differ';
  const row = explain(header, kind, lines, ours.reason)?.id;
  const shown =
    `${header} ${show(lines)}: ours ${outcome(ours)}, OpenTelemetry ${outcome(otel)} (${kind}); ` +
    'no row of test/interop/divergences.ts explains it';
  return row === undefined ? { agree: false, kind, shown } : { agree: false, kind, row, shown };
}

/** The property: agreement, or a disagreement the table explains. Fails with the input shown. */
function assertExplained(header: HeaderName, lines: HeaderLines): void {
  const verdict = compare(header, lines);
  if (!verdict.agree && verdict.row === undefined) expect(verdict.shown).toBe('explained by a divergence row');
}

// ---- generators ----

const hex = (length: number): fc.Arbitrary<string> => fc.stringMatching(new RegExp(`^[0-9a-f]{${length}}$`));
const zeros = (length: number): fc.Arbitrary<string> => fc.constant('0'.repeat(length));

/** Whitespace of every kind a header might carry: OWS, runs of it, line breaks, Unicode spaces. */
const space = fc.constantFrom('', '', '', ' ', '  ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\ufeff', '\u2028', ' \n');

const traceparentText = fc
  .tuple(
    fc.oneof(fc.constant('00'), fc.constant('ff'), fc.constantFrom('01', 'cc', 'fe'), hex(2)),
    fc.oneof({ weight: 5, arbitrary: hex(32) }, zeros(32)),
    fc.oneof({ weight: 5, arbitrary: hex(16) }, zeros(16)),
    hex(2),
    fc.oneof(
      { weight: 4, arbitrary: fc.constant('') },
      fc.constantFrom('-', '-abc', '-x\ny', '-x\u2028', 'x', '-a-b'),
      fc.string({ maxLength: 6 }).map((rest) => `-${rest}`),
    ),
  )
  .map(([version, traceId, parentId, flags, rest]) => `${version}-${traceId}-${parentId}-${flags}${rest}`);

/** One mutation at a position: change case, replace, delete or insert a character, or cut the value short. */
const mutation = fc.tuple(
  fc.constantFrom('none', 'none', 'upper', 'replace', 'delete', 'insert', 'cut'),
  fc.nat(),
  fc.constantFrom('A', 'F', 'g', '-', ' ', '\t', ',', '0', 'é'),
);

function mutate(text: string, [op, at, char]: [string, number, string]): string {
  const i = text.length === 0 ? 0 : at % text.length;
  switch (op) {
    case 'upper':
      return text.slice(0, i) + text.charAt(i).toUpperCase() + text.slice(i + 1);
    case 'replace':
      return text.slice(0, i) + char + text.slice(i + 1);
    case 'delete':
      return text.slice(0, i) + text.slice(i + 1);
    case 'insert':
      return text.slice(0, i) + char + text.slice(i);
    case 'cut':
      return text.slice(0, i);
    default:
      return text;
  }
}

const traceparentLine = fc
  .tuple(space, traceparentText, mutation, space)
  .map(([before, text, change, after]) => before + mutate(text, change) + after);

const traceparentLines: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 8, arbitrary: traceparentLine.map((line) => [line]) },
  fc.tuple(traceparentLine, traceparentLine).map(([a, b]) => [a, b]),
  fc.tuple(traceparentLine, fc.constant('')).map(([a, b]) => [a, b]),
  fc.tuple(traceparentLine, traceparentLine).map(([a, b]) => [`${a},${b}`]),
  fc.constant<string[]>([]),
);

const tracestateKey = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[a-z][a-z0-9_\-*/]{0,8}$/) },
  { weight: 2, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9_]{0,4}@[a-z][a-z0-9]{0,4}$/) },
  fc.stringMatching(/^[0-9][a-z0-9_@]{0,5}$/),
  fc.constantFrom('a@' + 'b'.repeat(15), 'a@b@c', 'Abc', '', '_a', 'a b', 'k'.repeat(257), 'k'.repeat(256)),
  fc.string({ maxLength: 4 }),
);

const NBLK = '\\x21-\\x2b\\x2d-\\x3c\\x3e-\\x7e';
const tracestateValue = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(new RegExp(`^[${NBLK}]([ ${NBLK}]{0,8}[${NBLK}])?$`)) },
  fc.constantFrom(' lead', 'a=b', '', 'trail ', 'tab\tx', 'é', 'v'.repeat(256), 'v'.repeat(257)),
  fc.integer({ min: 100, max: 256 }).map((length) => 'x'.repeat(length)),
  fc.string({ maxLength: 4 }),
);

const tracestateMember = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(tracestateKey, tracestateValue).map(([key, value]) => `${key}=${value}`) },
  tracestateKey,
  fc.tuple(space, tracestateKey, space).map(([before, key, after]) => `${before}${key}=v${after}`),
  fc.constantFrom('', ' ', '\t'),
);

const simpleTracestateMembers = fc
  .integer({ min: 30, max: 36 })
  .map((count) => Array.from({ length: count }, (_, i) => `k${i}=v${i}`));

/** A member list, sometimes with a repeated key, joined with varied separators, sometimes over two lines. */
function headerLinesOf(list: fc.Arbitrary<string[]>, repeat: (member: string) => string): fc.Arbitrary<string[]> {
  return fc
    .tuple(list, fc.boolean(), fc.nat(), fc.constantFrom(',', ', ', ' ,\t', ',,'), fc.option(fc.nat()))
    .map(([items, duplicate, pick, separator, split]) => {
      const all = [...items];
      const source = all.length > 0 ? all[pick % all.length] : undefined;
      if (duplicate && source !== undefined) all.push(repeat(source));
      if (split === null || all.length < 2) return [all.join(separator)];
      const at = 1 + (split % (all.length - 1));
      return [all.slice(0, at).join(separator), all.slice(at).join(separator)];
    });
}

const tracestateLines = headerLinesOf(
  fc.oneof({ weight: 6, arbitrary: fc.array(tracestateMember, { maxLength: 6 }) }, simpleTracestateMembers),
  (member) => `${member.split('=')[0] ?? ''}=again`,
);

const baggageKey = fc.oneof(
  { weight: 8, arbitrary: fc.stringMatching(/^[A-Za-z0-9!#$&'*+\-.^_`|~]{1,8}$/) },
  fc.constantFrom('k%20x', '%41', 'k%zz', 'a b', 'a(b', '"q"', '', 'ключ', 'a,b'),
);

const baggageValue = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[\x21\x23\x24\x26-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]{0,10}$/) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }).map(encodeURIComponent) },
  fc.constantFrom('%FF', '%C3', '%C3%A9', '%', '%4', '100%', 'a b', '"q"', '', 'a=b', 'é', 'a\\b', '%2C%3B'),
);

const baggageProperty = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_.-]{1,6}$/),
  fc.tuple(fc.stringMatching(/^[A-Za-z0-9_.-]{1,6}$/), baggageValue).map(([key, value]) => `${key}=${value}`),
  fc.constantFrom('', ' tok ', 'k = v', 'a b', 'k=v w'),
);

const baggageMember = fc.oneof(
  {
    weight: 10,
    arbitrary: fc
      .tuple(
        space,
        baggageKey,
        fc.constantFrom('=', '=', '=', ' = ', '\t='),
        baggageValue,
        fc.array(baggageProperty, { maxLength: 2 }),
        space,
      )
      .map(
        ([before, key, eq, value, properties, after]) =>
          `${before}${key}${eq}${value}${properties.map((p) => `;${p}`).join('')}${after}`,
      ),
  },
  baggageKey,
  fc.constantFrom('', ' '),
);

const manyBaggageMembers = fc
  .integer({ min: 60, max: 70 })
  .map((count) => Array.from({ length: count }, (_, i) => `k${i}=v${i}`));

const bigBaggageMembers = fc
  .tuple(fc.integer({ min: 3000, max: 4200 }), fc.integer({ min: 1, max: 3 }))
  .map(([length, count]) => Array.from({ length: count }, (_, i) => `big${i}=${'x'.repeat(length)}`));

const baggageLines = headerLinesOf(
  fc.oneof({ weight: 10, arbitrary: fc.array(baggageMember, { maxLength: 6 }) }, manyBaggageMembers, bigBaggageMembers),
  (member) => `${member.split('=')[0] ?? ''}=again`,
);

// ---- tests ----

describe('traceparent: ours vs W3CTraceContextPropagator.extract', () => {
  it('agrees on every generated header, or the divergence table explains why not', () => {
    fc.assert(
      fc.property(traceparentLines, (lines) => assertExplained('traceparent', lines)),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('tracestate: ours vs OpenTelemetry TraceState (through extract)', () => {
  it('agrees on every generated header, or the divergence table explains why not', () => {
    fc.assert(
      fc.property(tracestateLines, (lines) => assertExplained('tracestate', lines)),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('baggage: ours vs W3CBaggagePropagator.extract', () => {
  it('agrees on every generated header, or the divergence table explains why not', () => {
    fc.assert(
      fc.property(baggageLines, (lines) => assertExplained('baggage', lines)),
      { numRuns: NUM_RUNS },
    );
  });
});

const TP = '4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7';

/** Hand-picked headers and the exact verdict: 'agree', or the id of the row that explains the disagreement. */
const HAND_TABLE: readonly [HeaderName, readonly string[], string][] = [
  ['traceparent', [`00-${TP}-01`], 'agree'],
  ['traceparent', [`00-${TP}-00`], 'agree'],
  ['traceparent', [` 00-${TP}-01 `], 'agree'],
  ['traceparent', [`\t00-${TP}-01`], 'agree'],
  ['traceparent', [`cc-${TP}-01-what-the-future-holds`], 'agree'],
  ['traceparent', [`cc-${TP}-01`], 'agree'],
  ['traceparent', [`cc-${TP}-01x`], 'agree'],
  ['traceparent', [`00-${TP}-01-extra`], 'agree'],
  ['traceparent', [`ff-${TP}-01`], 'agree'],
  ['traceparent', [`00-${TP.toUpperCase()}-01`], 'agree'],
  ['traceparent', [`00-${'0'.repeat(32)}-00f067aa0ba902b7-01`], 'agree'],
  ['traceparent', [`00-4bf92f3577b34da6a3ce929d0e0e4736-${'0'.repeat(16)}-01`], 'agree'],
  ['traceparent', [`00-${TP}-0g`], 'agree'],
  ['traceparent', [`00-${TP}`], 'agree'],
  ['traceparent', [''], 'agree'],
  ['traceparent', [], 'agree'],
  ['traceparent', [`00-${TP}-01,00-${TP}-01`], 'agree'],
  ['traceparent', [`00-${TP}-01`, `00-${TP}-01`], 'traceparent-repeated'],
  ['traceparent', [`00-${TP}-01`, ''], 'traceparent-repeated'],
  ['traceparent', [`00-${TP}-01\n`], 'traceparent-non-ows-space'],
  ['traceparent', [`\u00a000-${TP}-01`], 'traceparent-non-ows-space'],
  ['traceparent', [`\u00a001-${TP}-01-,`], 'traceparent-non-ows-space'],
  ['traceparent', [`00-${TP}-01  `], 'traceparent-ows-run'],
  ['traceparent', [`01-${TP}-01-a\rb`], 'traceparent-future-line-break'],
  ['tracestate', ['rojo=00f067aa0ba902b7,congo=t61rcWkgMzE'], 'agree'],
  ['tracestate', ['rojo=00f067aa0ba902b7', 'congo=t61rcWkgMzE'], 'agree'],
  ['tracestate', [' a=1 ,\t, b=2 '], 'agree'],
  ['tracestate', [''], 'agree'],
  ['tracestate', ['a= lead'], 'agree'],
  ['tracestate', ['tenant@vendor=x'], 'agree'],
  ['tracestate', ['congo'], 'agree'],
  ['tracestate', ['a=1,congo'], 'tracestate-invalid-member'],
  ['tracestate', ['a=1,B=2'], 'tracestate-invalid-member'],
  ['tracestate', ['a=1,b=x=y'], 'tracestate-invalid-member'],
  ['tracestate', ['a=1,\nb=2'], 'tracestate-invalid-member'],
  ['tracestate', ['1vendor=x'], 'tracestate-level2-key'],
  ['tracestate', ['a=1,t@v@x=2'], 'tracestate-level2-key'],
  ['tracestate', [`a@${'b'.repeat(15)}=1`], 'tracestate-level2-key'],
  ['tracestate', ['a=1,a=2'], 'tracestate-duplicate-key'],
  ['tracestate', [Array.from({ length: 32 }, (_, i) => `k${i}=v`).join(',')], 'agree'],
  ['tracestate', [Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(',')], 'tracestate-over-32-members'],
  ['tracestate', [`a=${'x'.repeat(256)},b=${'y'.repeat(256)}`], 'tracestate-over-512-chars'],
  ['baggage', ['userId=alice,serverNode=DF%2028,isProduction=false'], 'agree'],
  ['baggage', ['userId=alice', 'serverNode=DF%2028,isProduction=false'], 'agree'],
  ['baggage', ['userId =   alice', 'serverNode = DF%2028, isProduction = false'], 'agree'],
  ['baggage', ['key1=value1;property1;property2, key2 = value2, key3=value3; propertyKey=propertyValue'], 'agree'],
  ['baggage', ['k=%C3%A9t%C3%A9'], 'agree'],
  ['baggage', ['k=a=b'], 'agree'],
  ['baggage', ['k=1,k=2'], 'agree'],
  ['baggage', ['k=v;'], 'baggage-invalid-member'],
  ['baggage', ['a=1,k=v;p q'], 'baggage-invalid-member'],
  ['baggage', ['a=1,b=x y'], 'baggage-invalid-member'],
  ['baggage', ['a=1,b(=x'], 'baggage-invalid-member'],
  ['baggage', ['a=1,b=100%'], 'baggage-invalid-member'],
  ['baggage', ['a=1,b=x\n'], 'baggage-invalid-member'],
  ['baggage', ['a=1,novalue'], 'baggage-invalid-member'],
  ['baggage', ['flag='], 'baggage-empty-value'],
  ['baggage', ['user%20id=alice'], 'baggage-percent-in-key'],
  ['baggage', ['name=%FF'], 'baggage-invalid-utf8'],
  ['baggage', [Array.from({ length: 64 }, (_, i) => `k${i}=v`).join(',')], 'agree'],
  ['baggage', [Array.from({ length: 65 }, (_, i) => `k${i}=v`).join(',')], 'baggage-over-64-members'],
  ['baggage', [`a=${'x'.repeat(4000)},b=${'y'.repeat(4000)},c=${'z'.repeat(400)}`], 'baggage-over-8192-bytes'],
  ['baggage', [`big=${'x'.repeat(4100)}`], 'baggage-member-over-4096'],
  ['baggage', ['__proto__=x'], 'baggage-proto-key'],
];

describe('hand table: exact verdicts', () => {
  it.each(
    HAND_TABLE.map(
      ([header, lines, expected]) => [header, JSON.stringify(lines).slice(0, 80), lines, expected] as const,
    ),
  )('%s %s', (header, _shown, lines, expected) => {
    const verdict = compare(header, lines);
    expect(verdict.agree ? 'agree' : (verdict.row ?? verdict.shown)).toBe(expected);
  });
});

describe('the divergence table', () => {
  it.each(DIVERGENCES.map((row) => [row.id, row] as const))(
    '%s: its example disagrees, and this row explains it',
    (id, row) => {
      const verdict = compare(row.header, row.example);
      expect(verdict.agree ? 'agree' : verdict.row).toBe(id);
    },
  );

  it('is rendered, unchanged, in docs/interop.md', () => {
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'interop.md'), 'utf8');
    expect(doc).toContain(renderDivergenceTable());
  });
});
