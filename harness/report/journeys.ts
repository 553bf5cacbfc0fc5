import { hoplessChain } from '../internal/hopless-chain';
import { failure } from '../internal/messages';
import { readTextFile } from '../internal/result';
import type { ReportInputFailure } from './input-reason';
import { parseJson, validate, type Schema } from './internal/schema';

/** How much a journey matters, most first. */
export const CRITICALITIES = ['critical', 'high', 'medium', 'low'] as const;
/** A journey's `criticality` in the journeys file: one of {@link CRITICALITIES}. */
export type Criticality = (typeof CRITICALITIES)[number];

/** One critical user journey and the chain of services its traces must cover. */
export interface JourneySpec {
  readonly name: string;
  /** Services in call order; every adjacent pair is a hop the trace must connect. */
  readonly chain: readonly string[];
  readonly owner: string;
  readonly criticality: Criticality;
  readonly description?: string;
  /** Third-party services that must receive no trace headers during the journey (e.g. analytics). */
  readonly noTraceHeaders?: readonly string[];
}

/** A checked journeys file, or why not, with a message naming the file and the field. */
export type JourneysResult = { ok: true; value: JourneySpec[] } | ReportInputFailure;

const NAME: Schema = {
  type: 'string',
  minLength: 1,
  pattern: /^[a-z0-9][a-z0-9._-]*$/,
  patternHint: 'lowercase letters, digits, ".", "_" or "-"',
};

/** The JSON-schema-like shape of a journeys file. */
export const JOURNEY_SCHEMA: Schema = {
  type: 'object',
  required: ['name', 'chain', 'owner', 'criticality'],
  properties: {
    name: NAME,
    chain: { type: 'array', items: NAME, minItems: 1 },
    owner: { type: 'string', minLength: 1 },
    criticality: { type: 'string', enum: CRITICALITIES },
    description: { type: 'string' },
    noTraceHeaders: { type: 'array', items: NAME },
  },
};

const FILE_SCHEMA: Schema = {
  type: 'object',
  required: ['journeys'],
  // "$schema": a file may point an editor at a JSON Schema; tracehop reads neither it nor any "$comment".
  properties: { $schema: { type: 'string' }, journeys: { type: 'array', items: JOURNEY_SCHEMA, minItems: 1 } },
};

const HINT = 'Each journey needs "name", "chain" (services in call order), "owner" and "criticality".';

/** Checks a value against the journeys schema; `label` names the input in messages. */
export function checkJourneys(value: unknown, label: string): JourneysResult {
  const action = `read journeys from "${label}"`;
  const error = validate(value, FILE_SCHEMA);
  if (error)
    return { ok: false, reason: 'invalid-schema', message: failure(action, `${error.path} ${error.problem}`, HINT) };
  const journeys = (value as { journeys: JourneySpec[] }).journeys;
  const checked = checkJourneyList(journeys, action, 'journeys');
  return checked ?? { ok: true, value: journeys };
}

/**
 * What the schema cannot say of a list of journeys: a name declared twice, a journey with no hop to check
 * (its coverage would read 100% with nothing checked), a service named twice in a chain. `listPath` names
 * the list in the input ("journeys" in a journeys file, "spec" in a coverage.json). Undefined when fine.
 */
export function checkJourneyList(
  journeys: readonly JourneySpec[],
  action: string,
  listPath: string,
): ReportInputFailure | undefined {
  const seen = new Set<string>();
  for (const [index, journey] of journeys.entries()) {
    if (seen.has(journey.name)) {
      return {
        ok: false,
        reason: 'duplicate-journey',
        message: failure(
          action,
          `${listPath}[${index}].name "${journey.name}" is declared twice`,
          'Give each journey a unique name.',
        ),
      };
    }
    seen.add(journey.name);
    // No hop means coverage would read 100% with nothing checked.
    if (hoplessChain(journey.chain, journey.noTraceHeaders) !== undefined) {
      return {
        ok: false,
        reason: 'no-hop',
        message: failure(
          action,
          `${listPath}[${index}] ("${journey.name}") has no hop to check: its chain names one service and it lists no noTraceHeaders`,
          'Name at least two services in call order, or the third parties that must receive no trace headers.',
        ),
      };
    }
    const thirdParties = journey.noTraceHeaders ?? [];
    const inChain = thirdParties.find((service) => journey.chain.includes(service));
    const named = inChain ?? thirdParties.find((service, i) => thirdParties.indexOf(service) !== i);
    if (named !== undefined) {
      return {
        ok: false,
        reason: 'repeated-service',
        message: failure(
          action,
          inChain !== undefined
            ? `${listPath}[${index}].noTraceHeaders names "${named}", which its chain names too: a service of the chain must receive the trace headers`
            : `${listPath}[${index}].noTraceHeaders names "${named}" twice`,
          'List in noTraceHeaders only third parties outside the chain, each once.',
        ),
      };
    }
    const repeated = journey.chain.find((service, i) => journey.chain.indexOf(service) !== i);
    if (repeated) {
      return {
        ok: false,
        reason: 'repeated-service',
        message: failure(
          action,
          `${listPath}[${index}].chain names "${repeated}" twice`,
          'List each service of the chain once, in call order.',
        ),
      };
    }
  }
  return undefined;
}

/** Parses a journeys file's text. Never throws. */
export function parseJourneys(text: string, label: string): JourneysResult {
  const json = parseJson(text);
  if (!json.ok) return { ...json, message: failure(`read journeys from "${label}"`, json.message, HINT) };
  return checkJourneys(json.value, label);
}

/** Reads and checks a journeys file. Never throws. */
export async function loadJourneys(file: string): Promise<JourneysResult> {
  const read = await readTextFile(file);
  if (!read.ok)
    return {
      ok: false,
      reason: read.reason,
      message: failure(`read journeys from "${file}"`, read.message, 'Pass the path of your journeys.json.'),
    };
  return parseJourneys(read.value, file);
}
