/**
 * Where our header decoders (harness/propagation) and OpenTelemetry JS (@opentelemetry/core) intentionally
 * read the same header differently. The differential tests fail on any disagreement that no row here
 * explains; docs/interop.md renders this table (a test keeps the two equal).
 */
import { isLevel1TracestateKey, isTracestateKey, isTracestateValue } from '../../harness/propagation';

export type HeaderName = 'traceparent' | 'tracestate' | 'baggage';

/**
 * How the two disagree: only we reject the header ("ours-rejects": we carry nothing, OpenTelemetry carries
 * something), only OpenTelemetry does ("otel-rejects"), or both carry something different ("values-differ").
 */
export type DisagreementKind = 'ours-rejects' | 'otel-rejects' | 'values-differ';

export interface Divergence {
  readonly id: string;
  readonly header: HeaderName;
  /** The inputs, in words. */
  readonly input: string;
  readonly ours: string;
  readonly otel: string;
  /** Why ours is what it is, citing the spec section. */
  readonly why: string;
  readonly kinds: readonly DisagreementKind[];
  /** When we reject: the reasons our decoder may give for this row. */
  readonly ourReasons?: readonly string[];
  /** True when a header (its lines, as received) is one this row describes. Independent of both parsers. */
  readonly applies: (lines: readonly string[]) => boolean;
  /** A header that shows the divergence (tested: it must disagree, and this row must explain it). */
  readonly example: readonly string[];
}

// ---- helpers: the specs' grammars, written out here so rows do not lean on either parser ----

/** RFC 9110 §5.6.3 OWS. */
const trimOws = (text: string): string => text.replace(/^[ \t]+|[ \t]+$/g, '');
/** The non-empty list members of a header, OWS-trimmed, lines combined with "," (RFC 9110 §5.3). */
const members = (lines: readonly string[]): string[] =>
  lines
    .join(',')
    .split(',')
    .map(trimOws)
    .filter((member) => member !== '');

/** JavaScript's \s minus SP and HTAB: what String.prototype.trim and /\s/ take, and RFC 9110 OWS does not. */
const NON_OWS_SPACE = /[^\S \t]/;

function tracestateSplit(member: string): [string, string] | undefined {
  const eq = member.indexOf('=');
  return eq < 0 ? undefined : [member.slice(0, eq), member.slice(eq + 1)];
}

/** RFC 9110 §5.6.2 token; W3C Baggage "Definition": value = *baggage-octet. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAGGAGE_VALUE = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;
/** W3C Baggage "value": URL-encoded, so every "%" starts a %XX escape. */
const BARE_PERCENT = /%(?![0-9A-Fa-f]{2})/;

interface BaggageMember {
  readonly key: string;
  readonly value: string;
  readonly properties: readonly string[];
  readonly hasEquals: boolean;
}

function baggageMembers(lines: readonly string[]): BaggageMember[] {
  return members(lines).map((member) => {
    const [pair = '', ...properties] = member.split(';');
    const eq = pair.indexOf('=');
    return {
      key: trimOws(eq < 0 ? pair : pair.slice(0, eq)),
      value: eq < 0 ? '' : trimOws(pair.slice(eq + 1)),
      properties: properties.map(trimOws),
      hasEquals: eq >= 0,
    };
  });
}

function isBaggageProperty(text: string): boolean {
  const eq = text.indexOf('=');
  if (eq < 0) return TOKEN.test(text);
  return TOKEN.test(trimOws(text.slice(0, eq))) && BAGGAGE_VALUE.test(trimOws(text.slice(eq + 1)));
}

function isValidBaggageMember(member: BaggageMember): boolean {
  return (
    member.hasEquals &&
    TOKEN.test(member.key) &&
    BAGGAGE_VALUE.test(member.value) &&
    !BARE_PERCENT.test(member.value) &&
    member.properties.every(isBaggageProperty)
  );
}

function decodesAsUtf8(value: string): boolean {
  try {
    decodeURIComponent(value);
    return true;
  } catch {
    return false;
  }
}

const utf8Bytes = (text: string): number => new TextEncoder().encode(text).length;

const TP = '4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

// ---- the table ----

export const DIVERGENCES: readonly Divergence[] = [
  {
    id: 'traceparent-repeated',
    header: 'traceparent',
    input: 'traceparent sent more than once',
    ours: 'rejects (duplicate-header)',
    otel: 'uses the first line',
    why: 'Trace Context §3.2 defines one traceparent; combined per RFC 9110 §5.3 the lines make one value with a comma, which breaks the §3.2.2 grammar (and two instrumentations injecting it is the fault tracehop reports)',
    kinds: ['ours-rejects'],
    ourReasons: ['duplicate-header'],
    applies: (lines) => lines.length > 1,
    example: [`00-${TP}`, `00-${TP}`],
  },
  {
    id: 'traceparent-non-ows-space',
    header: 'traceparent',
    input:
      'traceparent with one leading or trailing whitespace character other than space or tab (\\n, \\r, \\v, \\f, U+00A0, U+FEFF, ...)',
    ours: 'rejects (whitespace)',
    otel: 'accepts (its pattern allows any one \\s at each end)',
    why: 'Trace Context §3.2.2: the value has no whitespace; RFC 9110 §5.5 trims only OWS (space, tab) around a field value',
    kinds: ['ours-rejects'],
    // A comma elsewhere in the value is reported first (duplicate-header); the whitespace is still what OTel skips.
    ourReasons: ['whitespace', 'duplicate-header'],
    applies: (lines) => {
      const value = trimOws(lines[0] ?? '');
      return lines.length === 1 && (NON_OWS_SPACE.test(value.charAt(0)) || NON_OWS_SPACE.test(value.slice(-1)));
    },
    example: [`\n00-${TP}`],
  },
  {
    id: 'traceparent-ows-run',
    header: 'traceparent',
    input: 'traceparent with two or more spaces or tabs before or after the value',
    ours: 'accepts (trims all OWS)',
    otel: 'rejects (allows at most one whitespace character at each end)',
    why: 'RFC 9110 §5.5: leading and trailing OWS (any run of spaces and tabs) is not part of a field value',
    kinds: ['otel-rejects'],
    applies: (lines) => lines.length === 1 && /^[ \t]{2,}|[ \t]{2,}$/.test(lines[0] ?? ''),
    example: [`  00-${TP}`],
  },
  {
    id: 'traceparent-future-line-break',
    header: 'traceparent',
    input: 'a future-version traceparent whose extra fields contain a line terminator (\\n, \\r, U+2028, U+2029)',
    ours: 'accepts the first four fields',
    otel: 'rejects (its "." does not match line terminators)',
    why: 'Trace Context §3.2.4 (Versioning of traceparent): parse version, trace-id, parent-id and flags; vendors MUST NOT parse or assume anything about unknown fields',
    kinds: ['otel-rejects'],
    applies: (lines) => {
      const value = trimOws(lines[0] ?? '');
      return lines.length === 1 && !value.startsWith('00') && /[\n\r\u2028\u2029]/.test(value.slice(55));
    },
    example: [`01-${TP}-x\ny`],
  },
  {
    id: 'tracestate-invalid-member',
    header: 'tracestate',
    input:
      'tracestate with a member that breaks the grammar (no "=", bad key or value, whitespace other than space/tab around it) beside valid ones',
    ours: 'rejects the whole header (invalid-member, invalid-key, invalid-value)',
    otel: 'drops that member, keeps the rest',
    why: 'Trace Context §3.3.1 (tracestate Header Field Values) and §3.3.1.3: such a header fails to parse, and §3.3 lets that failure discard tracestate but never traceparent; tracehop names the hop that sent it instead of guessing what to keep',
    kinds: ['ours-rejects'],
    ourReasons: ['invalid-member', 'invalid-key', 'invalid-value'],
    applies: (lines) =>
      members(lines).some((member) => {
        const pair = tracestateSplit(member);
        return !pair || !isTracestateKey(pair[0]) || !isTracestateValue(pair[1]);
      }),
    example: ['rojo=00f067aa0ba902b7,congo'],
  },
  {
    id: 'tracestate-level2-key',
    header: 'tracestate',
    input:
      'tracestate key valid in Level 2 but not in Level 1 (starts with a digit without "@", several "@", a system-id over 14 characters)',
    ours: 'keeps the member',
    otel: 'drops the member (Level 1 key grammar)',
    why: 'Trace Context Level 2 §3.3.1.3.1: key = ( lcalpha / DIGIT ) 0*255( keychar ), keychar includes "@"',
    kinds: ['values-differ', 'otel-rejects'],
    applies: (lines) =>
      members(lines).some((member) => {
        const pair = tracestateSplit(member);
        return pair !== undefined && isTracestateKey(pair[0]) && !isLevel1TracestateKey(pair[0]);
      }),
    example: ['1vendor=x'],
  },
  {
    id: 'tracestate-duplicate-key',
    header: 'tracestate',
    input: 'tracestate with the same key twice',
    ours: 'rejects (duplicate-key)',
    otel: 'keeps one member: the first position, the last value',
    why: 'Trace Context §3.3.1.4 (Combined Header Value): only one entry per key is allowed',
    kinds: ['ours-rejects'],
    ourReasons: ['duplicate-key'],
    applies: (lines) => {
      const keys = members(lines).map((member) => tracestateSplit(member)?.[0]);
      return new Set(keys).size < keys.length;
    },
    example: ['a=1,b=2,a=3'],
  },
  {
    id: 'tracestate-over-32-members',
    header: 'tracestate',
    input: 'tracestate with more than 32 members',
    ours: 'rejects (too-many-members)',
    otel: 'keeps the first 32',
    why: 'Trace Context §3.3.1.1 (list): there can be a maximum of 32 list-members',
    kinds: ['ours-rejects'],
    ourReasons: ['too-many-members'],
    applies: (lines) => members(lines).length > 32,
    example: [Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(',')],
  },
  {
    id: 'tracestate-over-512-chars',
    header: 'tracestate',
    input: 'tracestate whose members add up to more than 512 characters',
    ours: 'keeps every member',
    otel: 'drops members once its running length passes 512',
    why: 'Trace Context §3.3.1.5 (tracestate Limits): 512 is the least a vendor SHOULD propagate, and truncation applies when sending; a checker must see what was sent',
    kinds: ['values-differ', 'otel-rejects'],
    applies: (lines) => {
      const all = members(lines);
      return all.reduce((sum, member) => sum + member.length, 0) + all.length - 1 > 512;
    },
    example: [`a=${'x'.repeat(256)},b=${'y'.repeat(256)}`],
  },
  {
    id: 'baggage-invalid-member',
    header: 'baggage',
    input:
      'baggage with a member that breaks the grammar (key not a token, a space, quote, backslash or non-ASCII in a value, no "=", an empty or malformed property, a "%" not followed by two hex digits) beside readable ones',
    ours: 'rejects the whole header',
    otel: 'keeps what it can read (trims any whitespace, percent-decodes keys) or drops just that member',
    why: 'W3C Baggage "Definition" (key = token, value = *baggage-octet, property) and "value" (URL-encoded UTF-8); tracehop names the hop that sent it instead of repairing it',
    kinds: ['ours-rejects'],
    ourReasons: ['invalid-member', 'invalid-key', 'invalid-value', 'invalid-property', 'invalid-percent-encoding'],
    applies: (lines) => baggageMembers(lines).some((member) => !isValidBaggageMember(member)),
    example: ['userId=alice,serverNode=DF 28'],
  },
  {
    id: 'baggage-empty-value',
    header: 'baggage',
    input: 'baggage member with an empty value (key=)',
    ours: 'keeps it with the value ""',
    otel: 'drops the member',
    why: 'W3C Baggage "Definition": value = *baggage-octet, so an empty value is valid',
    kinds: ['otel-rejects', 'values-differ'],
    applies: (lines) => baggageMembers(lines).some((member) => member.hasEquals && member.value === ''),
    example: ['flag='],
  },
  {
    id: 'baggage-percent-in-key',
    header: 'baggage',
    input: 'baggage key containing "%"',
    ours: 'keeps the key as sent',
    otel: 'percent-decodes the key (and drops the member when that fails)',
    why: 'W3C Baggage "key": a token ("%" is a tchar); only the value is URL-encoded',
    kinds: ['values-differ', 'otel-rejects'],
    applies: (lines) => baggageMembers(lines).some((member) => member.key.includes('%')),
    example: ['user%20id=alice'],
  },
  {
    id: 'baggage-invalid-utf8',
    header: 'baggage',
    input: 'baggage value whose %XX escapes are not UTF-8 (e.g. %FF)',
    ours: 'decodes them to U+FFFD',
    otel: 'drops the member (decodeURIComponent throws)',
    why: 'W3C Baggage "value" is a URL-encoded UTF-8 string; octets that do not decode become U+FFFD (the UTF-8 decoder\'s replacement), so the member is kept and stays visible',
    kinds: ['otel-rejects', 'values-differ'],
    applies: (lines) =>
      baggageMembers(lines).some((member) => !BARE_PERCENT.test(member.value) && !decodesAsUtf8(member.value)),
    example: ['name=%FF'],
  },
  {
    id: 'baggage-over-64-members',
    header: 'baggage',
    input: 'baggage with more than 64 members',
    ours: 'rejects (too-many-members)',
    otel: 'keeps up to 180',
    why: 'W3C Baggage "Limits": a platform MUST propagate at least 64 members, so more may be cut at any hop; tracehop flags the header rather than count on it',
    kinds: ['ours-rejects'],
    ourReasons: ['too-many-members'],
    applies: (lines) => baggageMembers(lines).length > 64,
    example: [Array.from({ length: 65 }, (_, i) => `k${i}=v`).join(',')],
  },
  {
    id: 'baggage-over-8192-bytes',
    header: 'baggage',
    input: 'baggage of more than 8192 bytes (UTF-8, commas and whitespace included)',
    ours: 'rejects (too-long)',
    otel: 'keeps members until its running length (in characters) passes 8192',
    why: 'W3C Baggage "Limits": a platform MUST propagate at least 8192 bytes, so more may be cut at any hop',
    kinds: ['ours-rejects'],
    ourReasons: ['too-long'],
    applies: (lines) => utf8Bytes(lines.join(',')) > 8192,
    example: [`a=${'x'.repeat(4000)},b=${'y'.repeat(4000)},c=${'z'.repeat(400)}`],
  },
  {
    id: 'baggage-member-over-4096',
    header: 'baggage',
    input: 'baggage member longer than 4096 characters (header within 8192 bytes)',
    ours: 'keeps it',
    otel: 'drops the member',
    why: 'W3C Baggage "Limits" sets no per-member limit, only 64 members and 8192 bytes',
    kinds: ['otel-rejects', 'values-differ'],
    applies: (lines) => lines.some((line) => line.split(',').some((member) => member.length > 4096)),
    example: [`big=${'x'.repeat(4100)}`],
  },
  {
    id: 'baggage-proto-key',
    header: 'baggage',
    input: 'baggage key "__proto__"',
    ours: 'keeps it',
    otel: 'loses it (stores members in a plain object, so the key sets its prototype)',
    why: 'W3C Baggage "key": any token is a key; an OpenTelemetry JS defect, not a spec choice',
    kinds: ['otel-rejects', 'values-differ'],
    applies: (lines) => baggageMembers(lines).some((member) => member.key === '__proto__'),
    example: ['__proto__=x'],
  },
];

/**
 * The row that explains a disagreement, or undefined. A row explains it when it is for this header, allows
 * this kind of disagreement (and, for our rejections, the reason we gave), and describes this input.
 */
export function explain(
  header: HeaderName,
  kind: DisagreementKind,
  lines: readonly string[],
  ourReason: string | undefined,
): Divergence | undefined {
  return DIVERGENCES.find(
    (row) =>
      row.header === header &&
      row.kinds.includes(kind) &&
      (kind !== 'ours-rejects' || ourReason === undefined || (row.ourReasons ?? []).includes(ourReason)) &&
      row.applies(lines),
  );
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The table as Markdown, as docs/interop.md shows it. */
export function renderDivergenceTable(): string {
  const rows = DIVERGENCES.map(
    (row) => `| ${[row.header, row.id, row.input, row.ours, row.otel, row.why].map(cell).join(' | ')} |`,
  );
  return [
    '| Header | Row | Input | Ours | OpenTelemetry JS | Why |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
