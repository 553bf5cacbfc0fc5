/**
 * Runs after the test framework is set up: Detox has replaced the global `expect` with its own, so the
 * trace matchers go onto Jest's (import it as `jestExpect` from '@jest/globals' in specs).
 */
import { expect as jestExpect } from '@jest/globals';
import { registerTracehopMatchers } from '../../harness/jest';

registerTracehopMatchers(jestExpect);
