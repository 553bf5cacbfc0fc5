/**
 * What journey() is given, checked before its steps run: a spec in JavaScript passes anything, and a misspelt
 * option ({ thirdparty }, { timout }) was read as absent, so the journey was judged without it.
 */
import { failure } from '../internal/messages';
import { unknownKey } from '../internal/nearest-name';
import { shownText, shownValue } from '../internal/shown-value';

/** journey()'s options, in the order its documentation gives them. */
const OPTIONS = ['chain', 'root', 'thirdParty', 'timeout', 'backend', 'journeysFile'];

const OPTIONS_HINT = `journey()'s options are ${OPTIONS.slice(0, -1).join(', ')} and ${OPTIONS.at(-1) ?? ''}.`;

/** Why `value` is not a list of service names, or undefined when it is one. */
function serviceListProblem(value: unknown): string | undefined {
  if (!Array.isArray(value)) return 'not a list of service names';
  const bad = value.findIndex((item) => typeof item !== 'string' || item === '');
  return bad < 0 ? undefined : `not a list of service names: item ${bad} is ${shownValue(value[bad])}`;
}

/**
 * Why journey(name, steps, options) cannot run as called (the cause and what to do), or undefined when it can.
 * Never throws: journey() throws the message it makes of it.
 */
export function journeyArgumentsProblem(
  name: unknown,
  steps: unknown,
  options: unknown,
): { cause: string; hint: string } | undefined {
  if (typeof name !== 'string' || name === '')
    return {
      cause: `its name is ${shownValue(name)}, not a journey name`,
      hint: "Name a journey of the journeys file: journey('checkout', async () => { ... }).",
    };
  if (typeof steps !== 'function')
    return {
      cause: `its steps are ${shownValue(steps)}, not a function`,
      hint: `Pass the steps as a function: journey(${JSON.stringify(name)}, async () => { ... }).`,
    };
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    return { cause: `its options are ${shownValue(options)}, not an object`, hint: OPTIONS_HINT };
  const record = options as Record<string, unknown>;
  const unknown = unknownKey(record, OPTIONS);
  if (unknown !== undefined) {
    return { cause: `it has an unknown option ${shownText(unknown.key)}${unknown.guess}`, hint: OPTIONS_HINT };
  }
  const { chain, root, thirdParty, timeout, journeysFile } = record;
  for (const [option, value, example] of [
    ['chain', chain, "{ chain: ['mobile-app', 'api-gateway', 'payment-api'] }"],
    ['thirdParty', thirdParty, "{ thirdParty: ['analytics'] }"],
  ] as const) {
    const problem = value === undefined ? undefined : serviceListProblem(value);
    if (problem !== undefined)
      return {
        cause: `{ ${option} } is ${shownValue(value)}, ${problem}`,
        hint: `Pass an array of names: ${example}.`,
      };
  }
  for (const [option, value, example] of [
    ['root', root, "{ root: 'checkout-flow' }"],
    ['journeysFile', journeysFile, "{ journeysFile: 'e2e/journeys.json' }"],
  ] as const) {
    if (value !== undefined && (typeof value !== 'string' || value === ''))
      return { cause: `{ ${option} } is ${shownValue(value)}, not a name`, hint: `Pass a string: ${example}.` };
  }
  // 0 is a wait of none: the spans that arrived while the steps ran are judged as they are.
  if (timeout !== undefined && (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout < 0))
    return {
      cause: `{ timeout } is ${shownValue(timeout)}, not a number of milliseconds from 0 up`,
      hint: 'Pass milliseconds, such as { timeout: 30000 }, or leave it out to wait 15000.',
    };
  return undefined;
}

/** journeyArgumentsProblem as the message journey() throws. */
export function journeyArgumentsMessage(name: unknown, problem: { cause: string; hint: string }): string {
  const label = typeof name === 'string' && name !== '' ? `run the "${name}" journey` : 'run a journey';
  return failure(label, problem.cause, problem.hint);
}
