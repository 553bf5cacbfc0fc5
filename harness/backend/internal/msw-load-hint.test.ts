import { mswLoadHint } from './msw-load-hint';

// The cause Node gives under Yarn 4's Plug'n'Play (seen requiring tracehop/backend in a PnP app).
const PNP_CAUSE =
  "Cannot find module '/root/.yarn/berry/cache/rettime-npm-0.11.13-22bfd23e34-10c0.zip/node_modules/rettime/build/lens-list.mjs' " +
  'imported from /root/.yarn/berry/cache/rettime-npm-0.11.13-22bfd23e34-10c0.zip/node_modules/rettime/build/index.mjs';

describe('mswLoadHint', () => {
  it("outside Plug'n'Play names the Node version and msw", () => {
    expect(mswLoadHint(PNP_CAUSE, undefined)).toBe(
      "Use Node >= 20.19 (it loads msw's ESM dependencies) and install msw 2 next to tracehop.",
    );
  });

  it("under Plug'n'Play names the node-modules linker and the zipped package to unplug", () => {
    expect(mswLoadHint(PNP_CAUSE, '3')).toBe(
      "Under Yarn Plug'n'Play, Node cannot load msw's ESM-only dependencies from Yarn's zip archives: set " +
        'nodeLinker: node-modules in .yarnrc.yml (as React Native apps do) and run yarn install, or unplug the ' +
        'package the error names (yarn unplug -R rettime, then run again).',
    );
  });

  it('names a scoped package whole', () => {
    const cause = "Cannot find module '/c/@scope-x-npm-1.0.0-ab.zip/node_modules/@scope/x/index.mjs'";
    expect(mswLoadHint(cause, '3')).toContain('(yarn unplug -R @scope/x, then run again)');
  });

  it("under Plug'n'Play with no zip path in the cause says only what to do", () => {
    expect(mswLoadHint("Cannot find module 'msw'", '3')).toBe(
      "Under Yarn Plug'n'Play, Node cannot load msw's ESM-only dependencies from Yarn's zip archives: set " +
        'nodeLinker: node-modules in .yarnrc.yml (as React Native apps do) and run yarn install, or unplug the ' +
        'package the error names.',
    );
  });
});
