/**
 * tracehop/detox: journey() for specs, and what a Detox suite needs to point its app at the mock backend.
 * Two more entries: the test environment (`tracehop/detox/environment`, a Jest `testEnvironment`) and the
 * web driver (`tracehop/detox/web-driver`, a Detox device `type`).
 */

// Journeys
export { JOURNEY_TIMEOUT_MS, JourneyFailure, journey } from './journey';

// The spec file's backend and journeys file, left by tracehop/detox/environment
export {
  BACKEND_GLOBAL,
  JOURNEYS_ENV,
  JOURNEYS_FILE_GLOBAL,
  journeysFilePath,
  reporterJourneysFile,
  workerBackend,
} from './worker-backend';
// The running test's unfinished journeys, which the environment judges when the test function returns
export { PENDING_JOURNEYS_GLOBAL } from './pending-journeys';

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

// Platform of the Detox device (ios, android, web), as run records carry it. Defined in the report module,
// which records it, so that tracehop/jest needs nothing of tracehop/detox (no import cycle).
export { detoxPlatform, platformOfDeviceType } from '../report';

// Ports (Android adb reverse)
export { backendPorts, reverseBackendPorts, unreverseBackendPorts } from './ports';

// Browser discovery for the web device
export { BROWSER_CANDIDATES, CHROMIUM_ARGS, findBrowser } from './web-driver/browser';

export type { AppFaultListResult, AppFaultName } from './app-faults';
export type { JourneyBackend, JourneyOptions } from './journey';
export type { ReporterEntry } from './worker-backend';
export type { BackendEndpoints, LaunchArgServices, TracehopLaunchArgs } from './launch-args';
export type { BackendPortUrls, PortDevice } from './ports';
export type { BrowserLookup, BrowserResult } from './web-driver/browser';
