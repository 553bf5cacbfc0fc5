import { percent, type CoverageReport, type HopResult } from './coverage';
import { escapeXml } from './internal/escape';

function testCase(journey: string, hop: HopResult): string {
  const open = `    <testcase classname="tracehop.${escapeXml(journey)}" name="${escapeXml(hop.label)}" time="0">`;
  if (hop.status === 'connected') return `${open}</testcase>`;
  const type = hop.status === 'not-run' ? 'not-run' : (hop.problemKinds[0] ?? 'uncovered');
  const message = `${hop.label}: ${hop.reason ?? hop.status}`;
  return `${open}\n      <failure message="${escapeXml(message)}" type="${escapeXml(type)}">${escapeXml(message)}</failure>\n    </testcase>`;
}

/** junit.xml: one test suite per journey, one test case per hop (a failure for each hop not connected). */
export function renderJunit(report: CoverageReport): string {
  const suites = report.journeys.map((journey) => {
    const cases = journey.hops.map((hop) => testCase(journey.name, hop));
    if (journey.hops.length === 0) {
      const ran = journey.runId !== null;
      cases.push(
        `    <testcase classname="tracehop.${escapeXml(journey.name)}" name="journey ran" time="0">${
          ran
            ? ''
            : '\n      <failure message="the journey never ran" type="not-run">the journey never ran</failure>\n    '
        }</testcase>`,
      );
    }
    const failures = cases.filter((text) => text.includes('<failure')).length;
    const propertyList: Array<[string, string]> = [
      ['owner', journey.owner],
      ['criticality', journey.criticality],
      ['coverage', percent(journey.coverage)],
    ];
    const properties = propertyList
      .map(([name, value]) => `      <property name="${name}" value="${escapeXml(value)}"/>`)
      .join('\n');
    return [
      `  <testsuite name="${escapeXml(journey.name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0">`,
      `    <properties>\n${properties}\n    </properties>`,
      ...cases,
      // check's note when this journey's judgement did not settle (the pairings it names may hang on the order).
      ...(report.unsettled?.journeys.includes(journey.name)
        ? [`    <system-err>${escapeXml(report.unsettled.message)}</system-err>`]
        : []),
      '  </testsuite>',
    ].join('\n');
  });
  const tests = report.journeys.reduce((sum, journey) => sum + Math.max(journey.hops.length, 1), 0);
  const failures = suites.reduce((sum, suite) => sum + (suite.match(/<failure /g)?.length ?? 0), 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="tracehop trace coverage" tests="${tests}" failures="${failures}" errors="0">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
