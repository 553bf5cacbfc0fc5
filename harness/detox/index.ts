/**
 * tracehop/detox: what a Detox suite needs to point its app at the mock backend. The web driver is a
 * separate entry (`harness/detox/web-driver`), named as a Detox device `type`.
 */

// Launch args
export { launchArgsFor } from './launch-args';
// App faults (TRACEHOP_APP_FAULTS -> launch argument tracehopAppFaults)
export {
  APP_FAULT_CAUSES,
  APP_FAULT_NAMES,
  APP_FAULTS_LAUNCH_ARG,
  isAppFaultName,
  parseAppFaultList,
} from './app-faults';

// Ports (Android adb reverse)
export { backendPorts, reverseBackendPorts, unreverseBackendPorts } from './ports';

// Browser discovery for the web device
export { BROWSER_CANDIDATES, CHROMIUM_ARGS, findBrowser } from './web-driver/browser';

export type { AppFaultListResult, AppFaultName } from './app-faults';
export type { BackendEndpoints, LaunchArgServices, TracehopLaunchArgs } from './launch-args';
export type { BackendPortUrls, PortDevice } from './ports';
export type { BrowserLookup, BrowserResult } from './web-driver/browser';
