/**
 * Typed handles on the few Detox internals a third-party driver builds on. Detox ships them as plain
 * JavaScript without declarations, so the shapes we rely on are written down here, once. Without detox,
 * loading them says what to install (`requireDetox`), not "Cannot find module".
 */
import { requireDetox } from '../../internal/detox-peer';

/** The package entry these modules are loaded for, as the message of a missing detox names it. */
const ENTRY = 'tracehop/detox/web-driver';

/** Detox's AsyncEmitter as drivers see it. */
export interface DetoxEmitter {
  emit(event: string, payload: Record<string, unknown>): Promise<void>;
  off(): void;
}

/** Dependencies Detox hands every runtime driver (plus the configs an external factory spreads in). */
export interface RuntimeDriverDeps {
  readonly client: unknown;
  readonly eventEmitter: DetoxEmitter;
  readonly deviceConfig?: Readonly<Record<string, unknown>>;
}

export interface DeviceDriverBaseInstance {
  readonly emitter: DetoxEmitter;
  cleanup(bundleId?: string): Promise<void>;
}

export type DeviceDriverBaseClass = new (deps: RuntimeDriverDeps) => DeviceDriverBaseInstance;

/** Detox's no-op runtime driver: subclassing it keeps every device method we do not support a no-op. */
export const DeviceDriverBase = requireDetox<DeviceDriverBaseClass>(
  'detox/src/devices/runtime/drivers/DeviceDriverBase',
  ENTRY,
);

/** A Detox file artifact: `start` fills `temporaryPath`, Detox moves it into the artifacts folder. */
export interface FileArtifactTemplate {
  readonly name: string;
  start(this: { temporaryPath?: string }): Promise<void>;
}

export type FileArtifactClass = new (template: FileArtifactTemplate) => object;

export const FileArtifact = requireDetox<FileArtifactClass>(
  'detox/src/artifacts/templates/artifact/FileArtifact',
  ENTRY,
);

/** Detox's temporary artifact paths (cleaned up by Detox when a run ends). */
export const temporaryPath = requireDetox<{ for: { png(): string } }>('detox/src/artifacts/utils/temporaryPath', ENTRY);

/** What Detox's artifact plugins receive. */
export interface ArtifactPluginConfig {
  readonly api: unknown;
}

export interface ScreenshotPluginInstance {
  readonly context: { readonly deviceId?: string };
}

export type ScreenshotPluginClass = new (config: ArtifactPluginConfig) => ScreenshotPluginInstance;

/** Detox's screenshot plugin: takes the "failing"/"all"/"manual" policy from `artifacts.plugins.screenshot`. */
export const ScreenshotArtifactPlugin = requireDetox<ScreenshotPluginClass>(
  'detox/src/artifacts/screenshot/ScreenshotArtifactPlugin',
  ENTRY,
);
