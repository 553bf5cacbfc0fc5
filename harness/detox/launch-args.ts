import { failure, TracehopError } from '../internal/messages';
import { APP_FAULT_NAMES, isAppFaultName, type AppFaultName } from './app-faults';

/** The URLs a running mock backend exposes (the part of `Backend` the app needs). */
export interface BackendEndpoints {
  readonly urls: {
    /** Base URL per service name, e.g. `{ "api-gateway": "http://127.0.0.1:40123" }`. */
    readonly services: Readonly<Record<string, string>>;
    /** OTLP/HTTP traces endpoint, e.g. "http://127.0.0.1:40200/v1/traces". */
    readonly otlp: string;
  };
}

/** The launch args the sample app reads (native launch arguments; URL query parameters on the web). */
export interface TracehopLaunchArgs {
  readonly tracehopBackendUrl: string;
  readonly tracehopOtlpUrl: string;
  /** Present when the backend has an analytics service (the third party). */
  readonly tracehopAnalyticsUrl?: string;
  /** App faults to switch on, comma separated (see APP_FAULT_NAMES); absent when none. */
  readonly tracehopAppFaults?: string;
}

/** Names of the services the launch args point at, when the topology differs from ours. */
export interface LaunchArgServices {
  /** The service the app calls first. Default "api-gateway". */
  readonly gateway?: string;
  /** The third-party analytics service. Default "analytics". */
  readonly analytics?: string;
  /** App faults the app switches on in its own code (from TRACEHOP_APP_FAULTS). Default none. */
  readonly appFaults?: readonly AppFaultName[];
}

/**
 * Builds the app's launch args from a running backend.
 * @example device.launchApp({ newInstance: true, launchArgs: launchArgsFor(backend) })
 */
export function launchArgsFor(backend: BackendEndpoints, services: LaunchArgServices = {}): TracehopLaunchArgs {
  const gateway = services.gateway ?? 'api-gateway';
  const gatewayUrl = backend.urls.services[gateway];
  if (gatewayUrl === undefined) {
    const known = Object.keys(backend.urls.services).join(', ') || 'none';
    throw new TracehopError(
      failure(
        'build the app launch args',
        `the backend has no "${gateway}" service (it has: ${known})`,
        'Pass { gateway: "<service the app calls first>" } as the second argument.',
      ),
    );
  }
  const analyticsUrl = backend.urls.services[services.analytics ?? 'analytics'];
  // The default may be absent from a topology; a name the caller gave must exist, or the app silently loses it.
  if (services.analytics !== undefined && analyticsUrl === undefined) {
    const known = Object.keys(backend.urls.services).join(', ') || 'none';
    throw new TracehopError(
      failure(
        'build the app launch args',
        `the backend has no "${services.analytics}" service (it has: ${known})`,
        'Pass { analytics: "<third-party service>" } naming one of them, or leave it out.',
      ),
    );
  }
  const appFaults = services.appFaults ?? [];
  // Typed callers cannot pass a wrong name, but JavaScript callers can: the app would ignore it silently.
  const unknown = (appFaults as readonly string[]).find((name) => !isAppFaultName(name));
  if (unknown !== undefined) {
    throw new TracehopError(
      failure(
        'build the app launch args',
        `"${unknown}" is not an app fault`,
        `Use one of: ${APP_FAULT_NAMES.join(', ')}.`,
      ),
    );
  }
  return {
    tracehopBackendUrl: gatewayUrl,
    tracehopOtlpUrl: backend.urls.otlp,
    ...(analyticsUrl === undefined ? {} : { tracehopAnalyticsUrl: analyticsUrl }),
    ...(appFaults.length === 0 ? {} : { tracehopAppFaults: [...new Set(appFaults)].join(',') }),
  };
}
