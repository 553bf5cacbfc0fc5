/** The web app, device and configuration `tracehop init` adds to a Detox config, as text. */

/** The web parts of a Detox config, as object entries (shared by the file and the printed additions). */
export function webEntries(name: string, script: string): string {
  return `  apps: {
    web: {
      // Any type the web driver accepts: the "app" is your web build's index.html, served over loopback.
      type: 'web.bundle',
      bundleId: ${JSON.stringify(`${name}-web`)},
      binaryPath: 'web-dist/index.html', // where ${script} writes index.html
      build: 'npm run ${script}',
    },
  },
  devices: {
    // tracehop's Detox driver: the system Chromium, headless (needs playwright-core).
    chromium: { type: 'tracehop/detox/web-driver' },
  },
  configurations: {
    'web.headless': { device: 'chromium', app: 'web' },
  },`;
}
