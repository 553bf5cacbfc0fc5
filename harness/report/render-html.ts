import { hasTime, type CapturedRequest, type Span } from '../model';
import { TRACE_HEADER_NAMES } from '../propagation';
import { percent, type CoverageReport, type JourneyCoverage } from './coverage';
import { appClockPhrase, clockDistance } from './internal/app-clock';
import { escapeXml } from './internal/escape';
import { HTML_SCRIPT, HTML_STYLE } from './internal/html-assets';
import { shortReason } from './internal/short-reason';
import { renderWaterfall, spanAnchor, spanDuration } from './internal/waterfall';
import { createRedactor } from './redact';

/** Options for renderHtml. */
export interface HtmlOptions {
  /** Header names to redact in addition to the default credential headers. */
  readonly redactHeaders?: readonly string[];
}

const TRACE_HEADERS: ReadonlySet<string> = new Set(TRACE_HEADER_NAMES);

function headerTable(capture: CapturedRequest): string {
  // Trace headers stand out, and a first-party request without traceparent says so: an absent row is easy to miss.
  const rows = capture.headers
    .map(
      ([name, value]) =>
        `<tr${TRACE_HEADERS.has(name.toLowerCase()) ? ' class="trace-header"' : ''}><th>${escapeXml(name)}</th><td>${escapeXml(value)}</td></tr>`,
    )
    .join('');
  const traceparent = capture.headers.some(([name]) => name.toLowerCase() === 'traceparent');
  const missing =
    capture.firstParty && !traceparent
      ? '<p class="no-traceparent">✗ No traceparent header arrived with this request.</p>'
      : '';
  return `${missing}<p class="request">${escapeXml(capture.method)} ${escapeXml(capture.path)} <span class="muted">→ ${escapeXml(capture.service)}${capture.firstParty ? '' : ' (third party)'}</span></p><table class="headers"><tbody>${rows || '<tr><td class="muted">no headers</td></tr>'}</tbody></table>`;
}

function attributeTable(span: Span): string {
  const rows = Object.entries(span.attributes)
    .map(
      ([key, value]) =>
        `<tr><th>${escapeXml(key)}</th><td>${escapeXml(typeof value === 'string' ? value : JSON.stringify(value))}</td></tr>`,
    )
    .join('');
  return rows ? `<table class="attributes"><tbody>${rows}</tbody></table>` : '<p class="muted">no attributes</p>';
}

function spanDetails(journey: string, span: Span, captures: readonly CapturedRequest[]): string {
  const received = captures.filter(
    (capture) => capture.serverSpanId === span.spanId && (capture.serverTraceId ?? span.traceId) === span.traceId,
  );
  const headers =
    received.length > 0
      ? received.map(headerTable).join('')
      : `<p class="muted">${span.kind === 'server' ? 'No captured request for this span.' : 'Only SERVER spans receive headers.'}</p>`;
  return [
    `<details class="span-detail" id="${spanAnchor(journey, span)}">`,
    `<summary><span class="svc">${escapeXml(span.service)}</span> ${escapeXml(span.name)} <span class="kind">${span.kind.toUpperCase()}</span> <span class="muted">${spanDuration(span)}</span></summary>`,
    '<div class="detail-body">',
    `<dl><dt>trace</dt><dd><code>${span.traceId}</code></dd><dt>span</dt><dd><code>${span.spanId}</code></dd><dt>parent</dt><dd><code>${span.parentSpanId ?? '(root)'}</code></dd></dl>`,
    '<h4>Received headers</h4>',
    headers,
    '<h4>Attributes</h4>',
    attributeTable(span),
    '</div>',
    '</details>',
  ].join('\n');
}

/**
 * The run's spans as the waterfall draws them: the app's (the chain's first service) moved onto the
 * backend's clock when the device's ran off it, so its calls line up with the requests they made, and a
 * note that says by how much.
 */
function onBackendClock(journey: JourneyCoverage, spans: readonly Span[]): { spans: readonly Span[]; note?: string } {
  const phrase = appClockPhrase(journey);
  const offset = journey.appClockOffsetMs ?? 0;
  const app = journey.chain[0];
  if (phrase === undefined || app === undefined) return { spans };
  // A span with no time (hasTime) stays at 0: moved, it would seem to start at the offset, in 1970.
  const moved = spans.map((span) =>
    span.service === app && hasTime(span)
      ? { ...span, startTimeMs: span.startTimeMs + offset, endTimeMs: span.endTimeMs + offset }
      : span,
  );
  return {
    spans: moved,
    note: `${phrase} in this run (read from the requests the backend captured), so its spans are drawn ${clockDistance(Math.abs(offset))} ${offset > 0 ? 'later' : 'earlier'} than it recorded them.`,
  };
}

function journeySection(journey: JourneyCoverage, report: CoverageReport, redactHeaders: readonly string[]): string {
  const redactor = createRedactor(redactHeaders);
  const run = report.runs.find((candidate) => candidate.runId === journey.runId);
  const spans = (run?.spans ?? []).map(redactor.span);
  const captures = (run?.captures ?? []).map(redactor.capture);
  const status = journey.complete ? 'pass' : journey.passed ? 'warn' : 'fail';
  const hops = journey.hops
    .map(
      (hop) =>
        `<li class="hop ${hop.status}"><span class="mark">${hop.status === 'connected' ? '✓' : '✗'}</span> <code>${escapeXml(hop.label)}</code>${
          hop.reason ? ` <span class="reason">${escapeXml(hop.reason)}</span>` : ''
        }</li>`,
    )
    .join('\n');
  const spec = report.spec.find((entry) => entry.name === journey.name);
  const extraHosts = spec?.noTraceHeaders ?? [];
  // Requests whose server span is not among the run's spans (a third party's, or one not exported) too.
  const spanKeys = new Set(spans.map((span) => `${span.traceId}:${span.spanId}`));
  const spanless = captures.filter(
    (capture) =>
      !capture.serverSpanId ||
      !(capture.serverTraceId
        ? spanKeys.has(`${capture.serverTraceId}:${capture.serverSpanId}`)
        : spans.some((span) => span.spanId === capture.serverSpanId)),
  );
  const problems = journey.problems
    .map((problem) => `<li><span class="kind-tag">${escapeXml(problem.kind)}</span> ${escapeXml(problem.message)}</li>`)
    .join('\n');
  const warnings = journey.warnings
    .map((warning) => `<li><span class="kind-tag">${escapeXml(warning.kind)}</span> ${escapeXml(warning.message)}</li>`)
    .join('\n');
  const drawn = onBackendClock(journey, spans);
  return [
    `<section class="journey ${status}" id="journey-${escapeXml(journey.name)}" data-journey="${escapeXml(journey.name)}" data-coverage="${journey.coverage}">`,
    `<header><h2>${escapeXml(journey.name)}</h2><span class="badge ${status}">${percent(journey.coverage)}</span><span class="muted">${journey.covered}/${journey.expected} hops · owner ${escapeXml(journey.owner)} · ${journey.criticality}${spec?.description ? ` · ${escapeXml(spec.description)}` : ''}</span></header>`,
    `<ol class="hops">${hops || '<li class="muted">no hops to cover</li>'}</ol>`,
    problems ? `<ul class="problems">${problems}</ul>` : '',
    warnings ? `<ul class="warnings">${warnings}</ul>` : '',
    run
      ? `${renderWaterfall(journey, drawn.spans, extraHosts)}${drawn.note ? `\n<p class="clock-note">${escapeXml(drawn.note)}</p>` : ''}`
      : '<p class="never-run">This journey never ran: no run was recorded for it.</p>',
    spans.length > 0
      ? `<div class="spans"><h3>Spans <span class="muted">(click a bar)</span></h3>\n${[...spans]
          .sort((a, b) => a.startTimeMs - b.startTimeMs)
          .map((span) => spanDetails(journey.name, span, captures))
          .join('\n')}</div>`
      : '',
    spanless.length > 0
      ? `<div class="spanless"><h3>Requests without a span</h3>${spanless
          .map(
            (capture) =>
              `<details class="capture-detail"><summary>${escapeXml(capture.method)} ${escapeXml(capture.path)} → ${escapeXml(capture.service)}</summary>${headerTable(capture)}</details>`,
          )
          .join('\n')}</div>`
      : '',
    '</section>',
  ].join('\n');
}

/** Coverage per journey per platform (one column per platform that ran), with each platform's suite last. */
function platformTable(report: CoverageReport): string {
  if (report.platforms.length === 0) return '';
  const cell = (journey: JourneyCoverage | undefined): string =>
    journey === undefined
      ? '<td class="num">—</td>'
      : `<td class="num ${journey.complete ? 'pass' : journey.passed ? 'warn' : 'fail'}">${journey.runId === null ? 'never run' : percent(journey.coverage)}</td>`;
  const head = report.platforms.map((entry) => `<th>${entry.platform}</th>`).join('');
  const rows = report.journeys
    .map(
      (journey) =>
        `<tr><td>${escapeXml(journey.name)}</td>${report.platforms.map((entry) => cell(entry.journeys.find((own) => own.name === journey.name))).join('')}</tr>`,
    )
    .join('\n');
  const suites = report.platforms
    .map(
      (entry) =>
        `<td class="num ${entry.passed ? 'pass' : 'fail'}">${percent(entry.coverage)} (${entry.coveredJourneys} of ${entry.declared})</td>`,
    )
    .join('');
  return `<table class="summary platforms"><thead><tr><th>Journey per platform</th>${head}</tr></thead><tbody>${rows}\n<tr><th>suite</th>${suites}</tr></tbody></table>`;
}

/** report.html: one self-contained page (inline CSS, JS and SVG; no network) with a waterfall per journey. */
export function renderHtml(report: CoverageReport, options: HtmlOptions = {}): string {
  const redactHeaders = options.redactHeaders ?? [];
  const summary = report.journeys
    .map(
      (journey) =>
        `<tr class="${journey.complete ? 'pass' : journey.passed ? 'warn' : 'fail'}"><td><a href="#journey-${escapeXml(journey.name)}">${escapeXml(journey.name)}</a></td><td class="num">${percent(journey.coverage)}</td><td>${
          journey.firstBrokenHop
            ? `<code>${escapeXml(journey.firstBrokenHop)}</code>${journey.firstBrokenReason ? `<div class="reason">${escapeXml(shortReason(journey.firstBrokenReason))}</div>` : ''}`
            : '—'
        }</td><td>${escapeXml(journey.owner)}</td><td>${journey.criticality}</td></tr>`,
    )
    .join('\n');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    '<title>tracehop trace coverage</title>',
    `<style>${HTML_STYLE}</style>`,
    '</head>',
    '<body>',
    `<header class="top ${report.passed ? 'pass' : 'fail'}"><h1>tracehop trace coverage</h1><div class="suite"><strong>${percent(report.coverage)}</strong> of journeys fully covered (${report.coveredJourneys} of ${report.declared}) · gate ${
      report.passed ? 'passed' : 'failed'
    }</div><div class="muted">generated ${escapeXml(report.generatedAt)}</div></header>`,
    '<main>',
    // check's note when the journeys judged again did not settle: the pairings it names may hang on the order.
    ...(report.unsettled ? [`<p class="unsettled-note">${escapeXml(report.unsettled.message)}</p>`] : []),
    `<table class="summary"><thead><tr><th>Journey</th><th>Coverage</th><th>First broken hop</th><th>Owner</th><th>Criticality</th></tr></thead><tbody>${summary}</tbody></table>`,
    ...(report.platforms.length === 0 ? [] : [platformTable(report)]),
    ...report.journeys.map((journey) => journeySection(journey, report, redactHeaders)),
    '</main>',
    `<script>${HTML_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
