import type { Platform } from './platform';

/** tracehop's web driver, as a Detox device type: the package entry or a path to its compiled or source file. */
const WEB_DRIVER_TYPE = /(^|[\\/])web-driver([\\/]index(\.[cm]?[jt]s)?)?$/;

/**
 * The platform of a Detox device config type: `ios.simulator` (and any other `ios.*`) is ios; `android.emulator`,
 * `android.attached`, `android.genycloud` (any `android.*`) are android; tracehop's web driver is web. Other
 * custom drivers have no platform we know of.
 */
export function platformOfDeviceType(type: string): Platform | undefined {
  if (type.startsWith('ios.')) return 'ios';
  if (type.startsWith('android.')) return 'android';
  if (type === 'tracehop/detox/web-driver' || WEB_DRIVER_TYPE.test(type)) return 'web';
  return undefined;
}

interface DetoxGlobal {
  readonly __detox__?: {
    readonly internalsApi?: { readonly config?: { readonly device?: { readonly type?: unknown } } };
  };
}

/**
 * The platform of the Detox device this test runs on, read from the worker's runtime config (Detox puts its
 * internals on the test environment's global); undefined outside a Detox worker.
 */
export function detoxPlatform(scope: object = globalThis): Platform | undefined {
  try {
    const type = (scope as DetoxGlobal).__detox__?.internalsApi?.config?.device?.type;
    return typeof type === 'string' ? platformOfDeviceType(type) : undefined;
  } catch {
    // Detox throws when its config is read before the worker is initialised: no platform then.
    return undefined;
  }
}
