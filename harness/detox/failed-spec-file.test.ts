import { join, resolve } from 'node:path';
import { failedSpecFilesDir, failureOfEvent } from './failed-spec-file';

describe('failureOfEvent', () => {
  it.each<[string, unknown, string | undefined]>([
    ['a failing test function', { name: 'test_fn_failure', test: { name: 'pays' } }, 'the test "pays"'],
    ['a failing beforeAll hook', { name: 'hook_failure', hook: { type: 'beforeAll' } }, 'a beforeAll hook'],
    ['a passing test function', { name: 'test_fn_success', test: { name: 'pays' } }, undefined],
    ['a test that is done', { name: 'test_done', test: { name: 'pays', errors: [] } }, undefined],
    ['no event', undefined, undefined],
  ])('%s', (_name, event, failure) => {
    expect(failureOfEvent(event)).toBe(failure);
  });
});

describe('failedSpecFilesDir', () => {
  it("sits beside the reporter's runs folder, never in it (the reporter reads every file there as a journey)", () => {
    expect(failedSpecFilesDir({ TRACEHOP_RUNS_DIR: '/ci/report/runs' })).toBe('/ci/report/failed-spec-files');
    expect(failedSpecFilesDir({})).toBe(resolve(join('artifacts', 'tracehop', 'failed-spec-files')));
  });
});
