import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type * as HeapGuard from './heap-guard';

type Guard = typeof HeapGuard;

/** A fresh copy of the module: it keeps the gc it found for the process's life. */
function freshGuard(): Guard {
  let guard: Guard | undefined;
  jest.isolateModules(() => {
    guard = jest.requireActual<Guard>('./heap-guard');
  });
  if (!guard) throw new Error('heap-guard did not load');
  return guard;
}

/** What a context made now gets as `gc`. */
const newContextGc = (): unknown => runInNewContext('typeof gc');

/** Far more than any heap: the guard collects garbage to judge what is live, then refuses the document. */
const HUGE = 2 ** 50;
const HUGE_NEED_MB = (HUGE * 2.5) / 2 ** 20;

describe('the heap guard inside a host process (Jest here)', () => {
  it('collects garbage with V8 gc but leaves new contexts without a global gc, as they were', () => {
    const before = newContextGc();
    const refused = freshGuard().documentHeap(HUGE, true);
    expect({ before, needMb: refused?.needMb, after: newContextGc() }).toEqual({
      before: 'undefined',
      needMb: HUGE_NEED_MB,
      after: 'undefined',
    });
  });

  it('leaves --expose-gc on where the process had it on', () => {
    setFlagsFromString('--expose-gc');
    try {
      const refused = freshGuard().documentHeap(HUGE, true);
      expect({ needMb: refused?.needMb, after: newContextGc() }).toEqual({ needMb: HUGE_NEED_MB, after: 'function' });
    } finally {
      setFlagsFromString('--no-expose-gc');
    }
  });
});
