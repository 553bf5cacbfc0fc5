import type { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/**
 * `service.name`, typed by the semantic conventions package but not loaded from it: the model stays free of
 * OpenTelemetry packages at run time, so `tracehop check` starts without loading any of them.
 */
export const SERVICE_NAME: typeof ATTR_SERVICE_NAME = 'service.name';

/** `telemetry.sdk.language`: which SDK wrote a resource's spans (e.g. "java", "go", "webjs"). */
export const SDK_LANGUAGE = 'telemetry.sdk.language';
