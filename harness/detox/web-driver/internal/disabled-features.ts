/**
 * The `--disable-features` switch of the browsers the web driver launches. New headless Chromium preloads
 * its omnibox popups as WebUI pages for every window, so for every browser context: in one `npm run e2e`
 * they cost about a quarter of its CPU time (24.7 against 17.9 CPU-seconds). Nothing of the app's page
 * depends on them.
 *
 * Chromium reads only the last `--disable-features` switch, and Playwright passes its own first, so ours
 * repeats Playwright's: the ones playwright-core 1.65 disables, and any a later version adds, learnt from the
 * launched browser's own arguments ({@link learnDisabledFeatures}).
 */

const SWITCH = '--disable-features=';

/** The omnibox popups' WebUI (the plain, "AI mode" and full popups). */
const WEBUI_POPUPS = ['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup', 'WebUIOmniboxFullPopup'];

/** What playwright-core 1.65 disables (Playwright's chromiumSwitches). */
const PLAYWRIGHT_DISABLES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
];

/** Features this process has seen Playwright disable. */
const learnt = new Set<string>(PLAYWRIGHT_DISABLES);

/** The switch to pass last: every feature Playwright disables, and the WebUI popups. */
export function disableFeaturesSwitch(): string {
  return `${SWITCH}${[...new Set([...learnt, ...WEBUI_POPUPS])].join(',')}`;
}

/**
 * Reads what Playwright disabled from a launched browser's arguments (`spawnargs`: every switch but the last,
 * which is ours) and remembers it. True when it found features this process did not know yet: the browser
 * then runs with them enabled, so launch it again.
 */
export function learnDisabledFeatures(args: readonly string[]): boolean {
  const switches = args.filter((arg) => arg.startsWith(SWITCH));
  let learned = false;
  for (const value of switches.slice(0, -1)) {
    for (const feature of value.slice(SWITCH.length).split(',')) {
      if (feature === '' || learnt.has(feature)) continue;
      learnt.add(feature);
      learned = true;
    }
  }
  return learned;
}
