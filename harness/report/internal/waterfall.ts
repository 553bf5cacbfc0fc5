import { hasTime, shortId, type Span, type TraceId } from '../../model';
import type { JourneyCoverage } from '../coverage-report';
import { escapeXml } from './escape';

/** A span's duration for people: "12.0 ms", or "no time" for one the input gave no time (hasTime). */
export const spanDuration = (span: Span): string =>
  hasTime(span) ? `${(span.endTimeMs - span.startTimeMs).toFixed(1)} ms` : 'no time';

/** Ids used to tie a bar in the waterfall to its details panel. */
export function spanAnchor(journey: string, span: Pick<Span, 'traceId' | 'spanId'>): string {
  return `span-${journey}-${span.traceId}-${span.spanId}`.replace(/[^A-Za-z0-9_-]/g, '_');
}

// One color per trace, so a hop that started a new trace stands out by color as well as by the red link.
const TRACE_COLORS = ['#3b82f6', '#f59e0b', '#8b5cf6', '#14b8a6', '#ec4899', '#64748b'];

const WIDTH = 1100;
const LABEL = 170;
const RIGHT = 24;
const TOP = 34;
const ROW = 30;
const BAR = 14;

interface Row {
  readonly lane: string;
  readonly span?: Span;
}

/** Service lanes in journey order: the chain, header-free hosts, then any other service seen. */
function laneOrder(journey: JourneyCoverage, spans: readonly Span[], extraHosts: readonly string[]): string[] {
  const lanes = [...journey.chain];
  for (const host of extraHosts) if (!lanes.includes(host)) lanes.push(host);
  for (const service of [...new Set(spans.map((span) => span.service))].sort())
    if (!lanes.includes(service)) lanes.push(service);
  return lanes;
}

/** A waterfall of one run's spans in service lanes, parent links drawn and broken hops in red. */
export function renderWaterfall(
  journey: JourneyCoverage,
  spans: readonly Span[],
  extraHosts: readonly string[],
): string {
  const lanes = laneOrder(journey, spans, extraHosts);
  const rows: Row[] = [];
  for (const lane of lanes) {
    const own = spans
      .filter((span) => span.service === lane)
      .sort((a, b) => a.startTimeMs - b.startTimeMs || a.spanId.localeCompare(b.spanId));
    if (own.length === 0) rows.push({ lane });
    for (const span of own) rows.push({ lane, span });
  }
  const traces = [...new Set([...spans].sort((a, b) => a.startTimeMs - b.startTimeMs).map((span) => span.traceId))];
  const color = (traceId: TraceId): string => TRACE_COLORS[traces.indexOf(traceId) % TRACE_COLORS.length] ?? '#64748b';

  // A span the input gave no time (hasTime) starts and ends at 0: it would stretch the axis back to 1970, so
  // the axis spans the timed ones, and it is drawn as a mark at the axis' start labelled "no time".
  const timed = spans.filter(hasTime);
  const t0 = Math.min(...timed.map((span) => span.startTimeMs));
  const t1 = Math.max(...timed.map((span) => span.endTimeMs));
  const span0 = Number.isFinite(t0) ? t0 : 0;
  const range = Number.isFinite(t1) && t1 > span0 ? t1 - span0 : 1;
  const plot = WIDTH - LABEL - RIGHT;
  const x = (time: number): number => LABEL + ((time - span0) / range) * plot;
  const height = TOP + rows.length * ROW + 34;
  const rowOf = new Map<string, number>();
  rows.forEach((row, index) => row.span && rowOf.set(`${row.span.traceId}:${row.span.spanId}`, index));
  const centerY = (index: number): number => TOP + index * ROW + ROW / 2;
  const barOf = (span: Span): { x0: number; x1: number } => {
    if (!hasTime(span)) return { x0: LABEL, x1: LABEL + 3 };
    const x0 = x(span.startTimeMs);
    return { x0, x1: Math.max(x0 + 3, x(span.endTimeMs)) };
  };

  // Broken hops by the span (or empty lane) where they landed: that spot's label names the break.
  const brokenHops = journey.hops.filter((hop) => hop.status === 'broken' && hop.kind === 'propagate');
  const brokenAt = new Map<string, string>();
  for (const hop of brokenHops)
    if (hop.calleeSpanId && !brokenAt.has(`${hop.calleeTraceId}:${hop.calleeSpanId}`))
      brokenAt.set(`${hop.calleeTraceId}:${hop.calleeSpanId}`, hop.label);
  const brokenLanes = new Set(brokenHops.filter((hop) => !hop.calleeSpanId).map((hop) => hop.to));

  const parts: string[] = [];
  parts.push(
    `<svg class="waterfall" data-journey="${escapeXml(journey.name)}" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="Waterfall of ${escapeXml(journey.name)}" xmlns="http://www.w3.org/2000/svg">`,
    '<defs>',
    `<marker id="arrow-${escapeXml(journey.name)}" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#94a3b8"/></marker>`,
    `<marker id="arrow-broken-${escapeXml(journey.name)}" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#dc2626"/></marker>`,
    '</defs>',
  );

  // Lane bands and labels.
  let start = 0;
  lanes.forEach((lane, laneIndex) => {
    const count = rows.filter((row) => row.lane === lane).length;
    const y = TOP + start * ROW;
    parts.push(
      `<g class="lane" data-service="${escapeXml(lane)}">`,
      `<rect x="0" y="${y}" width="${WIDTH}" height="${count * ROW}" fill="${laneIndex % 2 === 0 ? '#f8fafc' : '#ffffff'}"/>`,
      `<text class="lane-label" x="12" y="${y + ROW / 2 + 4}">${escapeXml(lane)}</text>`,
    );
    if (!rows[start]?.span && !brokenLanes.has(lane)) {
      // A third party is expected to have no spans; a first-party service without any is a break (a broken
      // hop into it draws its own label there).
      const thirdParty = extraHosts.includes(lane);
      const text = thirdParty ? 'third party: no spans expected, its requests are listed below' : 'no spans';
      parts.push(
        `<text class="lane-empty${thirdParty ? ' third-party' : ''}" x="${LABEL + 8}" y="${y + ROW / 2 + 4}">${text}</text>`,
      );
    }
    parts.push('</g>');
    start += count;
  });

  // Time axis.
  const axisY = TOP + rows.length * ROW + 6;
  parts.push(`<line class="axis" x1="${LABEL}" y1="${TOP - 8}" x2="${LABEL}" y2="${axisY}"/>`);
  for (let tick = 0; tick <= 4; tick++) {
    const tx = LABEL + (plot * tick) / 4;
    parts.push(
      `<line class="tick" x1="${tx}" y1="${TOP - 8}" x2="${tx}" y2="${axisY}"/>`,
      `<text class="tick-label" x="${tx}" y="${TOP - 14}" text-anchor="${tick === 0 ? 'start' : tick === 4 ? 'end' : 'middle'}">${((range * tick) / 4).toFixed(range < 10 ? 1 : 0)} ms</text>`,
    );
  }

  // Parent links, drawn under the bars.
  for (const span of spans) {
    if (span.parentSpanId === undefined) continue;
    const childRow = rowOf.get(`${span.traceId}:${span.spanId}`);
    const parentRow = rowOf.get(`${span.traceId}:${span.parentSpanId}`);
    if (childRow === undefined || parentRow === undefined) continue;
    const parent = rows[parentRow]?.span;
    if (!parent) continue;
    const bar = barOf(parent);
    const child = barOf(span);
    const sx = Math.min(Math.max(child.x0 - 6, bar.x0 + 2), bar.x1);
    const sy = centerY(parentRow) + (childRow > parentRow ? BAR / 2 : -BAR / 2);
    parts.push(
      `<path class="link" data-parent="${parent.spanId}" data-child="${span.spanId}" d="M${sx.toFixed(1)},${sy} V${centerY(childRow)} H${(child.x0 - 1).toFixed(1)}" marker-end="url(#arrow-${escapeXml(journey.name)})"/>`,
    );
  }

  // Span labels go right of the bar, inside it when the bar is long, or left of it; never over the lane labels.
  // A span where a broken hop landed carries the break in its own label, so the two never overlap.
  const labelOf = (span: Span): { text: string; x: number; anchor: 'start' | 'end'; inside: boolean; end: number } => {
    const { x0, x1 } = barOf(span);
    const hop = brokenAt.get(`${span.traceId}:${span.spanId}`);
    const text = `${span.name} · ${span.kind.toUpperCase()} · ${spanDuration(span)}`;
    if (!hop) {
      const width = text.length * 6.3;
      if (x1 + 6 + width <= WIDTH - 4) return { text, x: x1 + 6, anchor: 'start', inside: false, end: x1 + 6 + width };
      if (x1 - x0 >= width + 12 || x0 - 6 - width < LABEL)
        return { text, x: x0 + 6, anchor: 'start', inside: true, end: x1 };
      return { text, x: x0 - 6, anchor: 'end', inside: false, end: x1 };
    }
    // Right of the bar, else left of it clear of the incoming arrowhead; the span's own words go first when
    // space is short, the break never.
    for (const candidate of [`✗ broken: ${hop} · ${text}`, `✗ broken: ${hop}`]) {
      const width = candidate.length * 6.6;
      if (x1 + 6 + width <= WIDTH - 4)
        return { text: candidate, x: x1 + 6, anchor: 'start', inside: false, end: x1 + 6 + width };
      if (x0 - 20 - width >= LABEL) return { text: candidate, x: x0 - 20, anchor: 'end', inside: false, end: x1 };
    }
    return { text: `✗ broken: ${hop}`, x: WIDTH - 4, anchor: 'end', inside: false, end: WIDTH - 4 };
  };

  // Broken hops: a red elbow from the caller's CLIENT span to where the callee's SERVER span landed, under
  // the bars; its label goes over them, so the break is never hidden.
  const brokenLabels: string[] = [];
  for (const hop of brokenHops) {
    const callerRow = hop.callerSpanId ? rowOf.get(`${hop.callerTraceId}:${hop.callerSpanId}`) : undefined;
    const calleeRow = hop.calleeSpanId ? rowOf.get(`${hop.calleeTraceId}:${hop.calleeSpanId}`) : undefined;
    const laneRow = rows.findIndex((row) => row.lane === hop.to);
    const targetRow = calleeRow ?? laneRow;
    const group: string[] = [`<g class="link broken" data-hop="${escapeXml(hop.label)}">`];
    const callee = calleeRow !== undefined ? rows[calleeRow]?.span : undefined;
    let tx = callee ? barOf(callee).x0 : LABEL + 40;
    const callerSpan = callerRow !== undefined ? rows[callerRow]?.span : undefined;
    if (callerRow !== undefined && callerSpan && targetRow >= 0) {
      const caller = barOf(callerSpan);
      if (!callee) tx = caller.x0 + 40;
      const sx = Math.min(Math.max(tx - 10, caller.x0 + 4), caller.x1);
      const sy = centerY(callerRow) + (targetRow > callerRow ? BAR / 2 : -BAR / 2);
      const ty = centerY(targetRow);
      group.push(
        `<path d="M${sx.toFixed(1)},${sy} V${ty} H${(tx - 1).toFixed(1)}" marker-end="url(#arrow-broken-${escapeXml(journey.name)})"/>`,
        `<circle cx="${sx.toFixed(1)}" cy="${((sy + ty) / 2).toFixed(1)}" r="6" fill="#dc2626"/>`,
        `<path class="cross" d="M${(sx - 2.5).toFixed(1)},${((sy + ty) / 2 - 2.5).toFixed(1)} l5,5 m0,-5 l-5,5"/>`,
      );
    }
    group.push('</g>');
    parts.push(...group);
    const labelGroup = `<g class="broken-label" data-hop="${escapeXml(hop.label)}">`;
    if (callee && calleeRow !== undefined) {
      const label = labelOf(callee);
      const y = centerY(calleeRow) - BAR / 2 + BAR - 3;
      brokenLabels.push(
        `${labelGroup}<text class="span-label${label.inside ? ' inside' : ''}" x="${label.x.toFixed(1)}" y="${y}" text-anchor="${label.anchor}">${escapeXml(label.text)}</text></g>`,
      );
    } else if (targetRow >= 0) {
      // No span of the callee: the empty lane says the hop broke and that the callee has no span.
      const text = `✗ broken: ${hop.label} · ${hop.to} has no span`;
      const width = text.length * 7;
      const right = tx + 8 + width <= WIDTH - 4;
      const x = right ? tx + 8 : Math.max(LABEL + 4, tx - 18 - width);
      brokenLabels.push(
        `${labelGroup}<text x="${x.toFixed(1)}" y="${centerY(targetRow) + 4}">${escapeXml(text)}</text></g>`,
      );
    }
  }

  // Bars, each a button that opens its details.
  rows.forEach((row, index) => {
    if (!row.span) return;
    const span = row.span;
    const { x0, x1 } = barOf(span);
    const y = centerY(index) - BAR / 2;
    const label = labelOf(span);
    const brokenHere = brokenAt.has(`${span.traceId}:${span.spanId}`);
    parts.push(
      `<g class="span-bar" role="button" tabindex="0" data-target="${spanAnchor(journey.name, span)}" data-span-id="${span.spanId}" data-trace-id="${span.traceId}">`,
      `<title>${escapeXml(`${span.service}: ${span.name} (${span.kind}) trace ${shortId(span.traceId)} span ${shortId(span.spanId)}`)}</title>`,
      `<rect x="${x0.toFixed(1)}" y="${y}" width="${(x1 - x0).toFixed(1)}" height="${BAR}" rx="3" fill="${color(span.traceId)}"${
        span.statusCode === 2 || brokenHere ? ' stroke="#dc2626" stroke-width="2"' : ''
      }/>`,
      // A broken callee's label is drawn with its broken link, in red.
      brokenHere
        ? ''
        : `<text class="span-label${label.inside ? ' inside' : ''}" x="${label.x.toFixed(1)}" y="${y + BAR - 3}" text-anchor="${label.anchor}">${escapeXml(label.text)}</text>`,
      '</g>',
    );
  });

  parts.push(...brokenLabels);

  // Legend: one swatch per trace.
  const legendY = height - 12;
  traces.forEach((traceId, index) => {
    const lx = LABEL + index * 170;
    parts.push(
      `<g class="legend"><rect x="${lx}" y="${legendY - 10}" width="12" height="12" rx="2" fill="${color(traceId)}"/><text x="${lx + 18}" y="${legendY}">trace ${shortId(traceId)}</text></g>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}
