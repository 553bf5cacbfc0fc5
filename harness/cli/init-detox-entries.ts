/**
 * The web app, device and configuration `tracehop init` adds to a Detox config, as text: inside the blocks of
 * the .detoxrc it writes, or printed as entries to put inside the blocks of a config the app has (in that
 * config's own syntax, JavaScript or JSON).
 */

/** The Detox config blocks init adds one entry to each of. */
type Block = 'apps' | 'devices' | 'configurations';

const BLOCKS: readonly Block[] = ['apps', 'devices', 'configurations'];

/** `text` as a JavaScript string in single quotes, as every other string of the config init writes is. */
function singleQuoted(text: string): string {
  const escaped = JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'");
  return `'${escaped}'`;
}

/** Each block's entry as JavaScript lines, indented for inside the block. */
function javaScriptEntries(name: string, script: string): Record<Block, string[]> {
  return {
    apps: [
      'web: {',
      '  // Any type the web driver accepts: the "app" is your web build\'s index.html, served over loopback.',
      "  type: 'web.bundle',",
      `  bundleId: ${singleQuoted(`${name}-web`)},`,
      `  binaryPath: 'web-dist/index.html', // where ${script} writes index.html`,
      `  build: 'npm run ${script}',`,
      '},',
    ],
    devices: [
      "// tracehop's Detox driver: the system Chromium, headless (needs playwright-core).",
      "chromium: { type: 'tracehop/detox/web-driver' },",
    ],
    configurations: ["'web.headless': { device: 'chromium', app: 'web' },"],
  };
}

/** One JSON member on one line: `"key": { "a": "b", ... }`. */
function jsonMember(key: string, value: Readonly<Record<string, string>>): string {
  const members = Object.entries(value).map(([name, text]) => `${JSON.stringify(name)}: ${JSON.stringify(text)}`);
  return `${JSON.stringify(key)}: { ${members.join(', ')} }`;
}

function jsonEntries(name: string, script: string): Record<Block, string[]> {
  return {
    apps: [
      jsonMember('web', {
        type: 'web.bundle',
        bundleId: `${name}-web`,
        binaryPath: 'web-dist/index.html',
        build: `npm run ${script}`,
      }),
    ],
    devices: [jsonMember('chromium', { type: 'tracehop/detox/web-driver' })],
    configurations: [jsonMember('web.headless', { device: 'chromium', app: 'web' })],
  };
}

const indent = (spaces: number, lines: readonly string[]): string[] =>
  lines.map((line) => `${' '.repeat(spaces)}${line}`);

/** The three blocks with init's entries, as the members of the object a .detoxrc writes. */
export function webBlocks(name: string, script: string): string {
  const entries = javaScriptEntries(name, script);
  return BLOCKS.flatMap((block) => [`  ${block}: {`, ...indent(4, entries[block]), '  },']).join('\n');
}

/**
 * The entries to put inside the blocks of a config the app has, each under the block's name: only the entries,
 * so that pasted beside the app's own they add to its blocks instead of replacing them.
 */
export function webEntriesToAdd(name: string, script: string, json: boolean): string[] {
  const entries = json ? jsonEntries(name, script) : javaScriptEntries(name, script);
  return BLOCKS.flatMap((block) => [`  inside ${json ? JSON.stringify(block) : block}:`, ...indent(4, entries[block])]);
}
