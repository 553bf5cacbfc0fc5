import { computeCoverage } from './coverage';
import { renderJunit } from './render-junit';
import { sampleRun } from './test-support/sample-runs';

describe('renderJunit', () => {
  it('writes one test case per hop with a failure for each broken hop', () => {
    const journeys = [
      {
        name: 'checkout',
        chain: ['mobile-app', 'api-gateway', 'payment-api', 'fraud-service'],
        owner: 'payments',
        criticality: 'critical' as const,
      },
      {
        name: 'privacy',
        chain: ['mobile-app'],
        noTraceHeaders: ['analytics'],
        owner: 'privacy & co',
        criticality: 'critical' as const,
      },
    ];
    const run = sampleRun('checkout', 1, { dropTraceparentAt: { from: 'payment-api', to: 'fraud-service' } });
    expect(renderJunit(computeCoverage(journeys, [run]))).toMatchInlineSnapshot(`
"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="tracehop trace coverage" tests="4" failures="2" errors="0">
  <testsuite name="checkout" tests="3" failures="1" errors="0" skipped="0">
    <properties>
      <property name="owner" value="payments"/>
      <property name="criticality" value="critical"/>
      <property name="coverage" value="66%"/>
    </properties>
    <testcase classname="tracehop.checkout" name="mobile-app -&gt; api-gateway" time="0"></testcase>
    <testcase classname="tracehop.checkout" name="api-gateway -&gt; payment-api" time="0"></testcase>
    <testcase classname="tracehop.checkout" name="payment-api -&gt; fraud-service" time="0">
      <failure message="payment-api -&gt; fraud-service: broken-chain: payment-api sent no traceparent to fraud-service (POST /fraud/score), so it started a new trace: a proxy or SDK between them drops the header" type="broken-chain">payment-api -&gt; fraud-service: broken-chain: payment-api sent no traceparent to fraud-service (POST /fraud/score), so it started a new trace: a proxy or SDK between them drops the header</failure>
    </testcase>
  </testsuite>
  <testsuite name="privacy" tests="1" failures="1" errors="0" skipped="0">
    <properties>
      <property name="owner" value="privacy &amp; co"/>
      <property name="criticality" value="critical"/>
      <property name="coverage" value="0%"/>
    </properties>
    <testcase classname="tracehop.privacy" name="mobile-app -&gt; analytics (no trace headers)" time="0">
      <failure message="mobile-app -&gt; analytics (no trace headers): the journey never ran" type="not-run">mobile-app -&gt; analytics (no trace headers): the journey never ran</failure>
    </testcase>
  </testsuite>
</testsuites>
"
`);
  });
});
