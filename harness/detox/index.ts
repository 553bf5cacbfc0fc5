/**
 * tracehop/detox: what a Detox suite needs to point its app at the mock backend. The web driver is a
 * separate entry (`harness/detox/web-driver`), named as a Detox device `type`.
 */

// Launch args
export { launchArgsFor } from './launch-args';

// Platform of the Detox device (ios, android, web), as run records carry it
export { detoxPlatform, platformOfDeviceType } from './platform';

// Ports (Android adb reverse)
export { backendPorts, reverseBackendPorts, unreverseBackendPorts } from './ports';

// Browser discovery for the web device
export { BROWSER_CANDIDATES, CHROMIUM_ARGS, findBrowser } from './web-driver/browser';

export type { BackendEndpoints, LaunchArgServices, TracehopLaunchArgs } from './launch-args';
export type { BackendPortUrls, PortDevice } from './ports';
export type { BrowserLookup, BrowserResult } from './web-driver/browser';
