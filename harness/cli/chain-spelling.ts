/**
 * Chain names the dump spells in another case: Zipkin lower-cases service names (`ApiGateway` is stored as
 * `apigateway`), so `tracehop check` checks a chain's name as the dump spells it, with a note.
 */
import { format } from '../internal/messages';
import type { Span } from '../model';
import type { JourneySpec } from '../report';

/** The dump's spellings of each service, by its name in lower case. */
export function serviceSpellings(spans: readonly Span[]): Map<string, Set<string>> {
  const byLowerCase = new Map<string, Set<string>>();
  const seen = new Set<string>();
  // By index: a for...of over every span of a dump runs in the interpreter first, an iterator result a step.
  for (let i = 0; i < spans.length; i++) {
    const service = (spans[i] as Span).service;
    if (seen.has(service)) continue;
    seen.add(service);
    const key = service.toLowerCase();
    const spelt = byLowerCase.get(key);
    if (spelt) spelt.add(service);
    else byLowerCase.set(key, new Set([service]));
  }
  return byLowerCase;
}

/**
 * The chain with each name that no span's service spells exactly, but exactly one service of the dump spells
 * in another case, replaced by the dump's spelling; `changed` lists each replacement. A name stays as given
 * when several services match it, or when the dump's spelling is already a name of the chain.
 */
export function respell(
  chain: readonly string[],
  spellings: ReadonlyMap<string, ReadonlySet<string>>,
): { chain: string[]; changed: [name: string, spelling: string][] } {
  const result = [...chain];
  const changed: [string, string][] = [];
  for (let i = 0; i < result.length; i++) {
    const name = result[i] as string;
    const spelt = spellings.get(name.toLowerCase());
    if (spelt === undefined || spelt.size !== 1 || spelt.has(name)) continue;
    const [spelling] = spelt;
    if (spelling === undefined || result.includes(spelling)) continue;
    result[i] = spelling;
    changed.push([name, spelling]);
  }
  return { chain: result, changed };
}

/** The note that a chain name is checked as the dump spells it. */
export function spellingNote(who: string, name: string, spelling: string): string {
  // Why is not known for sure (Zipkin lower-cases names; an app may write MobileApp): only what differs.
  return format(
    `Note: ${who} "${name}"; the dump's spans say "${spelling}" (the names differ only in case), so "${spelling}" is checked.`,
  );
}

/**
 * The journeys with each chain name respelt as the dump spells it (see respell), and one note per name
 * respelt, naming the journeys of `file` that use it.
 */
export function respellJourneys<J extends Pick<JourneySpec, 'name' | 'chain'>>(
  journeys: readonly J[],
  spellings: ReadonlyMap<string, ReadonlySet<string>>,
  file: string,
): { journeys: J[]; notes: string[] } {
  const namedBy = new Map<string, { spelling: string; journeys: string[] }>();
  const respelt = journeys.map((journey) => {
    const result = respell(journey.chain, spellings);
    for (const [name, spelling] of result.changed) {
      const entry = namedBy.get(name) ?? { spelling, journeys: [] };
      entry.journeys.push(`"${journey.name}"`);
      namedBy.set(name, entry);
    }
    return result.changed.length > 0 ? { ...journey, chain: result.chain } : journey;
  });
  const notes = [...namedBy].map(([name, { spelling, journeys: names }]) => {
    const who =
      names.length === 1
        ? `journey ${names.join('')} of "${file}" names`
        : `journeys ${names.join(', ')} of "${file}" name`;
    return spellingNote(who, name, spelling);
  });
  return { journeys: respelt, notes };
}
