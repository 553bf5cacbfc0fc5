import {
  FileArtifact,
  ScreenshotArtifactPlugin,
  temporaryPath,
  type ArtifactPluginConfig,
} from './internal/detox-base';
import { runtimeDriverFor } from './runtime-driver';

/**
 * Detox's screenshot plugin for the web device: Detox decides when (`artifacts.plugins.screenshot`:
 * "failing", "all", "manual") and where; we only take the PNG of the device's page.
 */
export class WebScreenshotPlugin extends ScreenshotArtifactPlugin {
  /** Called by Detox for each automatic snapshot (test start and end). */
  createTestArtifact(): object {
    const deviceId = this.context.deviceId;
    return new FileArtifact({
      name: 'WebScreenshot',
      async start() {
        const driver = runtimeDriverFor(deviceId);
        if (driver === undefined || !driver.isAppRunning()) return;
        this.temporaryPath = await driver.screenshotTo(temporaryPath.for.png());
      },
    });
  }
}

/** Tells Detox which artifact plugins the web device has. */
export class WebArtifactPluginsProvider {
  declareArtifactPlugins(): Record<string, (api: unknown) => object> {
    return { screenshot: (api) => new WebScreenshotPlugin({ api } satisfies ArtifactPluginConfig) };
  }
}
