import { format as withPrefix } from '../../internal/messages';
import type { Span } from '../span';
import type { DumpFormat } from './dump-format';

/**
 * The note for a Zipkin file's spans that name no service: no `localEndpoint` (or one without a `serviceName`), as
 * Zipkin stores a span its tracer reported without a local service name and shows as "unknown". They read as
 * unknown_service, which `--expect` and `--journeys` cannot place on the chain, so a hop through one reads as a
 * service that never ran (missing-service). How many, and the first by kind, name, id, trace and line. Undefined
 * when every span names its service, and for any other format (whose readers say so their own way).
 */
export function servicelessSpansNote(
  file: string,
  spans: readonly Span[],
  format: DumpFormat | undefined,
): string | undefined {
  if (format !== 'zipkin') return undefined;
  let count = 0;
  let first: Span | undefined;
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i] as Span;
    if (span.service !== 'unknown_service') continue;
    count++;
    first ??= span;
  }
  if (first === undefined) return undefined;
  const line = first.source?.line === undefined ? '' : ` (line ${first.source.line})`;
  const which = `${first.kind.toUpperCase()} span ${JSON.stringify(first.name)} (${first.spanId}) in trace ${first.traceId}${line}`;
  const many = count > 1;
  return withPrefix(
    `Note: "${file}" holds ${many ? `${count} Zipkin spans` : 'a Zipkin span'} with no localEndpoint.serviceName` +
      `${many ? ', the first' : ':'} ${which}: ${many ? 'they are' : 'it is'} read as unknown_service, which --expect ` +
      `and --journeys cannot place on the chain, so a hop through ${many ? 'them' : 'it'} reads as a service that never ran. ` +
      "Give each service's tracer its local service name (Brave's localServiceName, zipkin-go's WithLocalEndpoint, " +
      "py_zipkin's service_name, OpenTelemetry's service.name) and export again.",
  );
}
