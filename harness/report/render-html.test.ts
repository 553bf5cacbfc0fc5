import type { Span } from '../model';
import { computeCoverage } from './coverage';
import { renderHtml } from './render-html';
import { sampleJourneySpecs, sampleRun, withAppClockBehind } from './test-support/sample-runs';

const spec = sampleJourneySpecs();
const labels = (html: string): string[] =>
  [...html.matchAll(/<g class="broken-label" data-hop="([^"]*)"><text[^>]*>([^<]*)<\/text><\/g>/g)].map(
    (match) => `${match[1]} | ${match[2]}`,
  );

const waterfall = (html: string): string | undefined => /<svg class="waterfall"[\s\S]*?<\/svg>/.exec(html)?.[0];
const clockNote = (html: string): string | undefined => /<p class="clock-note">(.*)<\/p>/.exec(html)?.[1];

describe('renderHtml', () => {
  it("draws the app's spans on the backend's clock when the device's ran behind, and says so", () => {
    // 5 s behind, and each request arrived 5 ms after its CLIENT span began: drawn 5,005 ms later, the app's
    // spans sit where an app 5 ms ahead of the backend would have them, which needs no shift.
    const skewed = renderHtml(computeCoverage(spec, [withAppClockBehind(sampleRun('checkout', 1), 5000)]));
    const ahead = renderHtml(computeCoverage(spec, [withAppClockBehind(sampleRun('checkout', 1), -5)]));
    expect(waterfall(skewed)).toBe(waterfall(ahead));
    expect(waterfall(skewed)).not.toBe(waterfall(renderHtml(computeCoverage(spec, [sampleRun('checkout', 1)]))));
    expect([clockNote(skewed), clockNote(ahead)]).toEqual([
      'mobile-app&#39;s clock ran about 5.0 s behind the backend&#39;s in this run (read from the requests the backend captured), so its spans are drawn 5.0 s later than it recorded them.',
      undefined,
    ]);
    expect(skewed).toContain(
      '<ul class="warnings"><li><span class="kind-tag">clock-skew</span> api-gateway &quot;POST /checkout&quot; (00100003) ends 5 seconds after its parent mobile-app &quot;POST /checkout&quot; (00100002)',
    );
    expect(ahead).not.toContain('<ul class="warnings">');
  });

  it("draws a span the input gave no time at the axis start, labelled no time, on the timed spans' axis", () => {
    const ticks = (html: string): string[] =>
      [...(waterfall(html) ?? '').matchAll(/class="tick-label"[^>]*>([^<]*)</g)].map((match) => match[1] ?? '');
    const untimed = <T extends { spans: readonly Span[] }>(run: T, service: string, kind: Span['kind']): T => ({
      ...run,
      spans: run.spans.map((span) =>
        span.service === service && span.kind === kind ? { ...span, startTimeMs: 0, endTimeMs: 0 } : span,
      ),
    });
    const run = sampleRun('checkout', 1);
    const timed = renderHtml(computeCoverage(spec, [run]));
    const gateway = renderHtml(computeCoverage(spec, [untimed(run, 'api-gateway', 'client')]));
    // The app's spans move onto the backend's clock; one with no time stays where it was.
    const behind = renderHtml(
      computeCoverage(spec, [untimed(withAppClockBehind(run, 5000), 'mobile-app', 'internal')]),
    );
    expect(ticks(timed)).toEqual(['0 ms', '105 ms', '210 ms', '315 ms', '420 ms']);
    // The gateway's call lies inside the run; the app's root spanned it all, so the axis is the calls' alone.
    expect([ticks(gateway), ticks(behind)]).toEqual([ticks(timed), ['0 ms', '95 ms', '190 ms', '285 ms', '380 ms']]);
    expect(gateway).toContain('>POST /payments · CLIENT · no time</text>');
    expect(gateway).toContain('<span class="kind">CLIENT</span> <span class="muted">no time</span></summary>');
    expect(behind).toContain('>checkout tap · INTERNAL · no time</text>');
  });

  it('labels a broken callee span with the break alone when the full label fits on neither side', () => {
    const html = renderHtml(
      computeCoverage(spec, [
        sampleRun('login', 3, { dropTraceparentAt: { from: 'api-gateway', to: 'auth-service' } }),
      ]),
    );
    expect(labels(html)).toEqual(['api-gateway -&gt; auth-service | ✗ broken: api-gateway -&gt; auth-service']);
    expect(html).not.toContain('>POST /sessions · SERVER · 250.0 ms</text>');
  });

  it('says in the empty lane that the hop broke and the callee has no span', () => {
    const run = sampleRun('login', 4);
    const html = renderHtml(
      computeCoverage(spec, [{ ...run, spans: run.spans.filter((span) => span.service !== 'auth-service') }]),
    );
    expect(labels(html)).toEqual([
      'api-gateway -&gt; auth-service | ✗ broken: api-gateway -&gt; auth-service · auth-service has no span',
    ]);
    expect(html).not.toContain('>no spans</text>');
  });

  it('shows the whole reason in the hop list and a short one in the summary table', () => {
    const html = renderHtml(
      computeCoverage(spec, [sampleRun('checkout', 1, { newTraceAt: { from: 'payment-api', to: 'fraud-service' } })]),
    );
    expect(
      [...html.matchAll(/class="reason">([^<]*)</g)]
        .map((match) => match[1])
        .filter((reason) => reason!.startsWith('wrong-parent')),
    ).toEqual([
      'wrong-parent: fraud-service (POST /fraud/score) received parent 00100006 in trace 001f0001, but…: the service extracted its context from somewhere other than the incoming header',
      'wrong-parent: fraud-service (POST /fraud/score) received parent 00100006bbbbbbbb in trace 001f0001cccccccccccccccccccccccc, but its SERVER span ' +
        '00100007bbbbbbbb is a root in trace 001f0002cccccccccccccccccccccccc: the service extracted its context from somewhere other than the incoming header',
    ]);
  });

  it('lists a request whose server span is not in the run under requests without a span', () => {
    const run = sampleRun('privacy', 2);
    const captures = run.captures.map((capture) => ({
      ...capture,
      serverSpanId: '00200009bbbbbbbb',
      serverTraceId: run.spans[0]!.traceId,
    }));
    const html = renderHtml(computeCoverage(spec, [{ ...run, captures }]));
    expect(
      [...html.matchAll(/<details class="capture-detail"><summary>([^<]*)<\/summary>/g)].map((match) => match[1]),
    ).toEqual(['POST /events → analytics']);
  });
});
