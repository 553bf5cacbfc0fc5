import { join } from 'node:path';
import { loadJourneys, parseJourneys } from './journeys';

const FIXTURE = join(__dirname, '..', '..', 'fixtures', 'journeys.json');

describe('journeys file', () => {
  it('loads the five sample journeys with their chains', async () => {
    const result = await loadJourneys(FIXTURE);
    if (!result.ok) throw new Error(result.message);
    expect(
      result.value.map((journey) => [journey.name, journey.chain.join(' > '), journey.noTraceHeaders ?? []]),
    ).toEqual([
      ['checkout', 'mobile-app > api-gateway > payment-api > fraud-service', []],
      ['login', 'mobile-app > api-gateway > auth-service', []],
      ['search-retry', 'mobile-app > api-gateway > catalog-service', []],
      ['offline-replay', 'mobile-app > api-gateway > payment-api > fraud-service', []],
      ['privacy', 'mobile-app', ['analytics']],
    ]);
  });

  const bad: Array<[string, unknown, string]> = [
    [
      'criticality_unknown',
      { journeys: [{ name: 'a', chain: ['x'], owner: 'o', criticality: 'urgent' }] },
      'journeys[0].criticality must be one of critical, high, medium, low (got "urgent")',
    ],
    ['owner_missing', { journeys: [{ name: 'a', chain: ['x'], criticality: 'low' }] }, 'journeys[0].owner is required'],
    [
      'chain_empty',
      { journeys: [{ name: 'a', chain: [], owner: 'o', criticality: 'low' }] },
      'journeys[0].chain must hold at least 1 item',
    ],
    [
      'chain_service_not_a_name',
      { journeys: [{ name: 'a', chain: ['x', 'Payment API'], owner: 'o', criticality: 'low' }] },
      'journeys[0].chain[1] must be lowercase letters, digits, ".", "_" or "-" (got "Payment API")',
    ],
    [
      'field_misspelt',
      { journeys: [{ name: 'a', chain: ['x'], owner: 'o', criticality: 'low', noTraceHeader: ['y'] }] },
      'journeys[0] has an unknown field "noTraceHeader" (did you mean "noTraceHeaders"?)',
    ],
    [
      'required_field_misspelt',
      { journeys: [{ name: 'a', chain: ['x', 'y'], owner: 'o', critcality: 'low' }] },
      'journeys[0] has an unknown field "critcality" (did you mean "criticality"?)',
    ],
    [
      'required_field_misspelt_after_another_field',
      { journeys: [{ name: 'a', chain: ['x', 'y'], Owner: 'o', description: 'd', criticality: 'low' }] },
      'journeys[0] has an unknown field "Owner" (did you mean "owner"?)',
    ],
    [
      'field_unknown',
      { journeys: [{ name: 'a', chain: ['x', 'y'], owner: 'o', criticality: 'low', threshold: 0.9 }] },
      'journeys[0] has an unknown field "threshold" (known: name, chain, owner, criticality, description, noTraceHeaders)',
    ],
    [
      'required_field_missing_beside_an_unknown_one',
      { journeys: [{ name: 'a', chain: ['x', 'y'], team: 'o', criticality: 'low' }] },
      'journeys[0].owner is required',
    ],
    ['journeys_missing', {}, 'journeys is required'],
    [
      'journeys_misspelt',
      { journies: [{ name: 'a', chain: ['x', 'y'], owner: 'o', criticality: 'low' }] },
      '(top level) has an unknown field "journies" (did you mean "journeys"?)',
    ],
    ['top_level_array', [], '(top level) must be an object (got an array)'],
  ];

  it.each(bad)('rejects %s naming the file and the field', (_name, value, cause) => {
    expect(parseJourneys(JSON.stringify(value), 'journeys.json')).toEqual({
      ok: false,
      reason: 'invalid-schema',
      message: `[tracehop] Failed to read journeys from "journeys.json": ${cause}. Each journey needs "name", "chain" (services in call order), "owner" and "criticality".`,
    });
  });

  // A "$schema" for the editor and a "$comment" inside a journey stopped the file as unknown fields, though a
  // topology file takes both.
  it('reads a "$schema" at the top and a "$comment" in any object as notes', () => {
    const journey = {
      $comment: 'the one that pays',
      name: 'checkout',
      chain: ['a', 'b'],
      owner: 'o',
      criticality: 'low',
    };
    const file = { $schema: './journeys.schema.json', $comment: 'journeys of the shop', journeys: [journey] };
    const result = parseJourneys(JSON.stringify(file), 'j.json');
    expect(result.ok && result.value.map((read) => [read.name, read.chain])).toEqual([['checkout', ['a', 'b']]]);
  });

  it('refuses a "$comment" that is no string', () => {
    const journey = { $comment: 1, name: 'checkout', chain: ['a', 'b'], owner: 'o', criticality: 'low' };
    expect(parseJourneys(JSON.stringify({ journeys: [journey] }), 'j.json')).toEqual({
      ok: false,
      reason: 'invalid-schema',
      message:
        '[tracehop] Failed to read journeys from "j.json": journeys[0].$comment must be a string (got number 1). Each journey needs "name", "chain" (services in call order), "owner" and "criticality".',
    });
  });

  it('rejects a journey declared twice', () => {
    const journey = { name: 'login', chain: ['x', 'y'], owner: 'o', criticality: 'low' };
    expect(parseJourneys(JSON.stringify({ journeys: [journey, journey] }), 'j.json')).toEqual({
      ok: false,
      reason: 'duplicate-journey',
      message:
        '[tracehop] Failed to read journeys from "j.json": journeys[1].name "login" is declared twice. Give each journey a unique name.',
    });
  });

  it('rejects a journey with no hop to check instead of counting it covered', () => {
    const journey = { name: 'splash', chain: ['mobile-app'], owner: 'o', criticality: 'low' };
    expect(parseJourneys(JSON.stringify({ journeys: [journey] }), 'j.json')).toEqual({
      ok: false,
      reason: 'no-hop',
      message:
        '[tracehop] Failed to read journeys from "j.json": journeys[0] ("splash") has no hop to check: its chain names one service and it lists no noTraceHeaders. ' +
        'Name at least two services in call order, or the third parties that must receive no trace headers.',
    });
  });

  it('rejects a chain that names a service twice', () => {
    const journey = { name: 'loop', chain: ['a', 'b', 'a'], owner: 'o', criticality: 'low' };
    expect(parseJourneys(JSON.stringify({ journeys: [journey] }), 'j.json')).toEqual({
      ok: false,
      reason: 'repeated-service',
      message:
        '[tracehop] Failed to read journeys from "j.json": journeys[0].chain names "a" twice. List each service of the chain once, in call order.',
    });
  });

  it('rejects noTraceHeaders that name a service of the chain, or a third party twice', () => {
    const journey = (noTraceHeaders: string[]) => ({
      name: 'privacy',
      chain: ['mobile-app', 'api-gateway'],
      noTraceHeaders,
      owner: 'o',
      criticality: 'low',
    });
    const read = (noTraceHeaders: string[]) =>
      parseJourneys(JSON.stringify({ journeys: [journey(noTraceHeaders)] }), 'j.json');
    const hint = 'List in noTraceHeaders only third parties outside the chain, each once.';
    expect([read(['analytics', 'api-gateway']), read(['analytics', 'analytics'])]).toEqual([
      {
        ok: false,
        reason: 'repeated-service',
        message: `[tracehop] Failed to read journeys from "j.json": journeys[0].noTraceHeaders names "api-gateway", which its chain names too: a service of the chain must receive the trace headers. ${hint}`,
      },
      {
        ok: false,
        reason: 'repeated-service',
        message: `[tracehop] Failed to read journeys from "j.json": journeys[0].noTraceHeaders names "analytics" twice. ${hint}`,
      },
    ]);
  });

  it('rejects text that is not JSON, naming the line and column where it stops being JSON', () => {
    const texts = [
      // JSON.parse names a position: a comma missing between two fields
      '{\n  "journeys": [\n    { "name": "a" "chain": ["x", "y"], "owner": "o", "criticality": "low" }\n  ]\n}\n',
      // JSON.parse names no position, only a token and a quote of the text (here spanning lines)
      '{\n  "journeys": [\n    { "name": "a", "owner": o }\n  ]\n}\n',
      // it runs out, after a two-character emoji (one column)
      '{\n  "journeys": [\n    { "name": "\u{1F6D2}", "chain": [',
    ];
    const hint = 'Each journey needs "name", "chain" (services in call order), "owner" and "criticality".';
    expect(texts.map((text) => parseJourneys(text, 'j.json'))).toEqual([
      {
        ok: false,
        reason: 'not-json',
        message: `[tracehop] Failed to read journeys from "j.json": it is not JSON (line 3, column 19: Expected ',' or '}' after property value). ${hint}`,
      },
      {
        ok: false,
        reason: 'not-json',
        message: `[tracehop] Failed to read journeys from "j.json": it is not JSON (line 3, column 29: Unexpected token 'o'). ${hint}`,
      },
      {
        ok: false,
        reason: 'not-json',
        message: `[tracehop] Failed to read journeys from "j.json": it is not JSON (line 3, column 30: Unexpected end of JSON input). ${hint}`,
      },
    ]);
  });

  it('reports a missing file by name', async () => {
    expect(await loadJourneys('/nonexistent/journeys.json')).toEqual({
      ok: false,
      reason: 'not-found',
      message:
        '[tracehop] Failed to read journeys from "/nonexistent/journeys.json": the file does not exist. Pass the path of your journeys.json.',
    });
  });
});
