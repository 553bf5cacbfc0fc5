import { failure, TracehopError } from '../internal/messages';

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
}

/** Names of the services the launch args point at, when the topology differs from ours. */
export interface LaunchArgServices {
  /** The service the app calls first. Default "api-gateway". */
  readonly gateway?: string;
  /** The third-party analytics service. Default "analytics". */
  readonly analytics?: string;
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
  return {
    tracehopBackendUrl: gatewayUrl,
    tracehopOtlpUrl: backend.urls.otlp,
    ...(analyticsUrl === undefined ? {} : { tracehopAnalyticsUrl: analyticsUrl }),
  };
}
