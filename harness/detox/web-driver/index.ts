/**
 * The Detox third-party driver for the web build. Name this module as a device `type` in .detoxrc.js;
 * Detox reads these exports by name.
 */
import { WebAllocationDriver } from './allocation-driver';
import { WebEnvironmentValidator } from './environment-validator';
import { WebRuntimeDriver } from './runtime-driver';
import { WebArtifactPluginsProvider } from './screenshot-plugin';
import { WebExpectApi } from './web-expect';

// Detox's external-driver contract
export const DeviceAllocationDriverClass = WebAllocationDriver;
export const RuntimeDriverClass = WebRuntimeDriver;
export const ExpectClass = WebExpectApi;
export const EnvironmentValidatorClass = WebEnvironmentValidator;
export const ArtifactPluginsProviderClass = WebArtifactPluginsProvider;

// The driver classes by their own names, for tests and for drivers that extend them
export { WebAllocationDriver, WebEnvironmentValidator, WebRuntimeDriver, WebArtifactPluginsProvider, WebExpectApi };

// Browser discovery, also used by scripts/e2e.js
export { BROWSER_CANDIDATES, BROWSER_COMMANDS, CHROMIUM_ARGS, findBrowser } from './browser';
export { launchUrl } from './launch-url';
export { startStaticServer } from './static-server';

export type { BrowserLookup, BrowserResult } from './browser';
export type { WebDeviceCookie } from './allocation-driver';
export type { LaunchArgs } from './launch-url';
export type { StaticServer } from './static-server';
