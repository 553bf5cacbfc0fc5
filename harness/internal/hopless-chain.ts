/**
 * Why a journey has no hop to check, or undefined when it has one: a chain of fewer than two services and no
 * third party gives a verdict that would pass whatever the trace. `journey()` and `verifyJourney` refuse such
 * a journey with this cause, each in its own words around it; the journeys file refuses one by the same rule.
 */
export function hoplessChain(chain: readonly string[], thirdParty: readonly string[] | undefined): string | undefined {
  if (chain.length >= 2 || (thirdParty ?? []).length > 0) return undefined;
  return `its chain ${JSON.stringify(chain)} has no hop to check: it names ${chain.length === 0 ? 'no service' : 'one service'} and no third party`;
}
