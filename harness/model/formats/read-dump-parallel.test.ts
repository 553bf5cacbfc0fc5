import { defaultWorkers } from './read-dump-parallel';

describe('threads for reading a large dump', () => {
  it('are one per core on 4 or more cores (the main thread included), at most 4, and the main thread alone below 4', () => {
    expect([1, 2, 3, 4, 5, 8, 64].map(defaultWorkers)).toEqual([1, 1, 1, 4, 4, 4, 4]);
  });
});
