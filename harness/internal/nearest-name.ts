/**
 * Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`, ignoring case; `limit` + 1 as
 * soon as it must be more than `limit`.
 */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let before: number[] = [];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let best = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1])
        best = Math.min(best, (before[j - 2] ?? 0) + 1);
      current.push(best);
    }
    before = previous;
    previous = current;
  }
  return previous[y.length] ?? limit + 1;
}

/**
 * The name of `known` that `name` most likely misspells: at most one edit in four characters away (at least
 * one), the closest first; undefined when none is that close.
 * @example nearestName('prot', ['name', 'port']) // 'port'
 */
export function nearestName(name: string, known: readonly string[]): string | undefined {
  let nearest: string | undefined;
  let nearestDistance = Infinity;
  for (const field of known) {
    const limit = Math.max(1, Math.floor(field.length / 4));
    const distance = editDistance(name, field, limit);
    if (distance <= limit && distance < nearestDistance) {
      nearest = field;
      nearestDistance = distance;
    }
  }
  return nearest;
}

/**
 * The first key of `record` that is none of `known`, with ' (did you mean "timeoutMs"?)' when it likely
 * misspells one of `known` that `record` does not hold already; undefined when every key is known.
 */
export function unknownKey(record: object, known: readonly string[]): { key: string; guess: string } | undefined {
  const key = Object.keys(record).find((name) => !known.includes(name));
  if (key === undefined) return undefined;
  const nearest = nearestName(
    key,
    known.filter((name) => !Object.hasOwn(record, name)),
  );
  return { key, guess: nearest === undefined ? '' : ` (did you mean "${nearest}"?)` };
}
