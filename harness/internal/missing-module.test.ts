import { isMissingModule } from './missing-module';

/** An error as a require throws it. */
const notFound = (message: string): Error => Object.assign(new Error(message), { code: 'MODULE_NOT_FOUND' });

describe('isMissingModule', () => {
  it("is true for Node's and Jest's message for the module itself", () => {
    expect([
      isMissingModule(
        notFound("Cannot find module 'detox/runners/jest'\nRequire stack:\n- /app/env.js"),
        'detox/runners/jest',
      ),
      isMissingModule(notFound("Cannot find module 'detox/runners/jest' from 'env.ts'"), 'detox/runners/jest'),
    ]).toEqual([true, true]);
  });

  it('is false for a module that the module requires, a longer id, another code or a non-error', () => {
    expect([
      isMissingModule(
        notFound("Cannot find module 'bunyan'\nRequire stack:\n- /app/node_modules/detox/index.js"),
        'detox',
      ),
      isMissingModule(notFound("Cannot find module 'detox/runners/jest'"), 'detox'),
      isMissingModule(Object.assign(new Error("Cannot find module 'detox'"), { code: 'ERR_REQUIRE_ESM' }), 'detox'),
      isMissingModule("Cannot find module 'detox'", 'detox'),
      isMissingModule(null, 'detox'),
    ]).toEqual([false, false, false, false, false]);
  });
});
