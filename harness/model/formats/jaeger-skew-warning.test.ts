import { skewAdjustmentMs } from './jaeger-skew-warning';

describe('skewAdjustmentMs', () => {
  it("reads how far Jaeger's clock skew adjuster moved a span from its warning, in Go's Duration text", () => {
    const moved = (by: string): number => skewAdjustmentMs([`This span's timestamps were adjusted by ${by}`]);
    expect([moved('-2.000311s'), moved('1m0.5s'), moved('350µs'), moved('-1h2m3s'), moved('1.5ms')]).toEqual([
      -2000.311, 60_500, 0.35, -3_723_000, 1.5,
    ]);
  });

  it('is 0 for a span it did not move: no warnings, or only that the adjustment is disabled or too large', () => {
    expect([
      skewAdjustmentMs(null),
      skewAdjustmentMs(['clock skew adjustment disabled; not applying calculated delta of -2.000311s']),
      skewAdjustmentMs(['max clock skew adjustment delta of 1s exceeded; not applying calculated delta of -2.000311s']),
      skewAdjustmentMs(["This span's timestamps were adjusted by soon"]),
    ]).toEqual([0, 0, 0, 0]);
  });
});
