/** Inline CSS for report.html (the page must work offline, so nothing is linked). */
export const HTML_STYLE = `
:root { --pass: #15803d; --fail: #dc2626; --warn: #b45309; --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f1f5f9; }
header.top { padding: 20px 32px; background: #0f172a; color: #f8fafc; border-bottom: 4px solid var(--pass); }
header.top.fail { border-bottom-color: var(--fail); }
header.top h1 { margin: 0 0 4px; font-size: 20px; }
header.top .suite strong { font-size: 18px; }
header.top .muted { color: #94a3b8; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 32px 48px; }
.muted { color: var(--muted); }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, monospace; }
table.summary { width: 100%; border-collapse: collapse; background: #fff; border-radius: 8px; overflow: hidden; box-shadow: 0 1px 2px rgb(0 0 0 / 6%); margin-bottom: 28px; }
table.summary th, table.summary td { padding: 8px 12px; border-bottom: 1px solid var(--line); text-align: left; }
table.summary th { background: #f8fafc; font-weight: 600; }
table.summary td.num { font-variant-numeric: tabular-nums; }
table.summary td:first-child { white-space: nowrap; }
table.summary .reason { color: var(--muted); font-size: 12.5px; margin-top: 2px; }
table.summary tr.fail td:first-child { border-left: 4px solid var(--fail); }
table.summary tr.pass td:first-child { border-left: 4px solid var(--pass); }
table.summary tr.warn td:first-child { border-left: 4px solid var(--warn); }
section.journey { background: #fff; border-radius: 8px; padding: 18px 22px; margin-bottom: 24px; box-shadow: 0 1px 2px rgb(0 0 0 / 6%); border-top: 4px solid var(--pass); }
section.journey.fail { border-top-color: var(--fail); }
section.journey.warn { border-top-color: var(--warn); }
section.journey > header { display: flex; align-items: baseline; gap: 12px; flex-wrap: wrap; }
section.journey h2 { margin: 0; font-size: 18px; }
.badge { font-weight: 700; padding: 1px 10px; border-radius: 999px; color: #fff; background: var(--pass); }
.badge.fail { background: var(--fail); }
.badge.warn { background: var(--warn); }
ol.hops { list-style: none; padding: 0; margin: 12px 0; display: flex; flex-direction: column; gap: 4px; }
li.hop .mark { display: inline-block; width: 1.2em; font-weight: 700; }
li.hop.connected .mark { color: var(--pass); }
li.hop.broken .mark, li.hop.not-run .mark { color: var(--fail); }
li.hop.broken code { color: var(--fail); font-weight: 600; }
li.hop .reason { color: var(--muted); }
ul.problems { margin: 4px 0 12px; padding-left: 20px; }
ul.warnings { margin: 4px 0 12px; padding-left: 20px; color: var(--muted); }
p.clock-note { color: var(--muted); font-size: 12px; margin: 2px 0 10px; }
.kind-tag { font: 600 12px ui-monospace, monospace; color: var(--fail); }
svg.waterfall { display: block; margin: 8px 0 12px; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
svg.waterfall text { font: 12px system-ui, sans-serif; fill: var(--ink); }
svg.waterfall .lane-label { font-weight: 600; }
svg.waterfall .lane-empty { fill: var(--fail); font-style: italic; }
svg.waterfall .lane-empty.third-party { fill: var(--muted); }
svg.waterfall .tick { stroke: var(--line); stroke-dasharray: 2 3; }
svg.waterfall .axis { stroke: #cbd5e1; }
svg.waterfall .tick-label { fill: var(--muted); font-size: 11px; }
svg.waterfall .span-label { fill: #334155; font-size: 11.5px; }
svg.waterfall path.link { fill: none; stroke: #94a3b8; stroke-width: 1.3; }
svg.waterfall .span-label.inside { fill: #fff; font-weight: 600; }
svg.waterfall g.link.broken path { fill: none; stroke: var(--fail); stroke-width: 2.2; stroke-dasharray: 5 3; }
svg.waterfall g.link.broken path.cross { stroke: #fff; stroke-width: 1.8; stroke-dasharray: none; }
svg.waterfall g.broken-label text { fill: var(--fail); font-weight: 700; }
svg.waterfall g.broken-label text.inside { fill: #fff; }
svg.waterfall g.span-bar { cursor: pointer; }
svg.waterfall g.span-bar:hover rect, svg.waterfall g.span-bar:focus rect { stroke: var(--ink); stroke-width: 1.5; }
svg.waterfall g.span-bar:focus { outline: none; }
.spans h3, .spanless h3 { font-size: 14px; margin: 12px 0 6px; }
details.span-detail, details.capture-detail { border: 1px solid var(--line); border-radius: 6px; margin: 4px 0; background: #fff; }
details summary { cursor: pointer; padding: 5px 10px; }
details[open] { box-shadow: 0 0 0 2px #bfdbfe; }
details .svc { font-weight: 600; }
details .kind { font: 600 11px ui-monospace, monospace; color: var(--muted); }
.detail-body { padding: 4px 12px 10px; }
.no-traceparent { color: var(--fail); font-weight: 600; margin: 4px 0; }
table.headers tr.trace-header th, table.headers tr.trace-header td { font-weight: 700; background: #eff6ff; }
.detail-body h4 { margin: 10px 0 4px; font-size: 13px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 4px 0; }
dt { color: var(--muted); }
dd { margin: 0; }
table.headers, table.attributes { border-collapse: collapse; width: 100%; font: 12.5px ui-monospace, monospace; }
table.headers th, table.attributes th { text-align: left; font-weight: 600; width: 32%; padding: 2px 8px; background: #f8fafc; vertical-align: top; }
table.headers td, table.attributes td { padding: 2px 8px; word-break: break-all; }
table.headers tr, table.attributes tr { border-bottom: 1px solid var(--line); }
p.request { margin: 4px 0; font: 12.5px ui-monospace, monospace; }
p.never-run { color: var(--fail); font-weight: 600; }
p.unsettled-note { border-left: 4px solid var(--warn); padding: 6px 10px; margin: 0 0 12px; }
`;

/** Inline script: clicking (or pressing Enter on) a bar opens that span's details and scrolls to it. */
export const HTML_SCRIPT = `
(function () {
  function open(bar) {
    var target = document.getElementById(bar.getAttribute('data-target'));
    if (!target) return;
    target.open = true;
    target.scrollIntoView({ block: 'center' });
  }
  document.querySelectorAll('g.span-bar').forEach(function (bar) {
    bar.addEventListener('click', function () { open(bar); });
    bar.addEventListener('keydown', function (event) {
      if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); open(bar); }
    });
  });
})();
`;
