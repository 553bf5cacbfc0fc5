/**
 * What to do when msw will not load, for the message that names the cause. Under Yarn Plug'n'Play
 * (`process.versions.pnp`) msw itself loads, but its ESM-only dependencies (rettime, ...) stay inside Yarn's zip
 * archives, which Node's require(esm) cannot read ("Cannot find module '.../rettime-npm-....zip/...'"): the Node
 * version hint would send such a user the wrong way.
 */
export function mswLoadHint(cause: string, pnpVersion: string | undefined): string {
  if (pnpVersion === undefined) {
    return "Use Node >= 20.19 (it loads msw's ESM dependencies) and install msw 2 next to tracehop.";
  }
  const zipped = /\.zip\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(cause)?.[1];
  const unplug = zipped === undefined ? '' : ` (yarn unplug -R ${zipped}, then run again)`;
  return (
    "Under Yarn Plug'n'Play, Node cannot load msw's ESM-only dependencies from Yarn's zip archives: set " +
    'nodeLinker: node-modules in .yarnrc.yml (as React Native apps do) and run yarn install, or unplug the ' +
    `package the error names${unplug}.`
  );
}
