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
/** Allocates the web device: one Chromium per Detox worker, kept for its next spec file. */
export const DeviceAllocationDriverClass = WebAllocationDriver;
/** Drives the app's web build in that Chromium: launch args become URL query parameters. */
export const RuntimeDriverClass = WebRuntimeDriver;
/** The `by`, `element`, `expect` and `waitFor` a spec uses on the web device. */
export const ExpectClass = WebExpectApi;
/** Fails the worker early, saying what to install, when there is no browser to drive. */
export const EnvironmentValidatorClass = WebEnvironmentValidator;
/** The artifact plugins of the web device: screenshots of its page, when `artifacts.plugins.screenshot` says. */
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
