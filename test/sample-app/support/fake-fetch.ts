import type { FetchLike } from '../../../fixtures/sample-app/src/tracing/traced-fetch';

/** One call the app made, headers as sent. */
export interface FakeCall {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
}

/** What the fake answers: a status and JSON body, or a rejection like fetch's on a network error. */
export type FakeAnswer = { status: number; json?: unknown } | { reject: string };

/** A fetch that records calls and answers from a function of the URL. */
export function fakeFetch(answer: (url: string, method: string) => FakeAnswer): {
  fetch: FetchLike;
  calls: FakeCall[];
} {
  const calls: FakeCall[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, method: init.method, headers: { ...init.headers }, body: init.body });
    const result = answer(url, init.method);
    if ('reject' in result) throw new TypeError(result.reject);
    return { status: result.status, text: async () => (result.json === undefined ? '' : JSON.stringify(result.json)) };
  };
  return { fetch, calls };
}
