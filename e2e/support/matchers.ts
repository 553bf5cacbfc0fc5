/**
 * Jest setup for the Detox specs: tracehop's span matchers. Detox puts its element expect in the global's
 * place, so registerTracehopMatchers() registers them on Jest's own (from @jest/globals), and the specs
 * assert spans with `import { expect } from '@jest/globals'`.
 */
import { registerTracehopMatchers } from '../../harness/jest';

registerTracehopMatchers();
