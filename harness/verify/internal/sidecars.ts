/**
 * Envoy without spawn_upstream_span: one span per request it proxies, tagged `upstream_cluster` (the cluster
 * it sent the request to) and `response_flags`. As a mesh sidecar (Istio): "inbound|8080||" for a request coming
 * in to its workload, "outbound|8080||payment-api.default.svc.cluster.local" for one going out, under the
 * service name Istio gives it: the workload's with its namespace ("payment-api.default"), or "istio-proxy". As
 * a service of its own (an edge proxy, the chain's api-gateway), a SERVER span only. With spawn_upstream_span,
 * a CLIENT span of the request it sent on beneath that SERVER span (see outboundSidecarServerOf).
 */
import type { Span } from '../../model';

/** Whether a span's `upstream_cluster` is Istio's for traffic in `direction` ("inbound|...", "outbound|..."). */
function clusterOf(span: Span, direction: 'inbound' | 'outbound'): boolean {
  const cluster = span.attributes['upstream_cluster'];
  return typeof cluster === 'string' && cluster.startsWith(`${direction}|`);
}

/** Whether `sidecar`'s service name is that of `workload`'s sidecar: the workload's, "<workload>.<namespace>", "istio-proxy". */
function namedFor(sidecar: Span, workload: string): boolean {
  return sidecar.service === 'istio-proxy' || `${sidecar.service}.`.startsWith(`${workload}.`);
}

/** An Envoy sidecar's SERVER span for a request coming in to its workload. */
export function isInboundSidecar(span: Span): boolean {
  return span.kind === 'server' && clusterOf(span, 'inbound');
}

/** Whether `child` is the SERVER span of the workload behind the sidecar span `parent` (see namedFor). */
export function sidecarHandsTo(parent: Span, child: Span): boolean {
  return isInboundSidecar(parent) && child.kind === 'server' && namedFor(parent, child.service);
}

/**
 * Whether `span` is `workload`'s sidecar's CLIENT span for a request the workload sent out: the call as the
 * sidecar recorded it, its answer (`http.status_code`, Envoy's `response_flags`) the one the workload got.
 */
export function outboundSidecarOf(span: Span, workload: string): boolean {
  return span.kind === 'client' && clusterOf(span, 'outbound') && namedFor(span, workload);
}

/**
 * Whether `span` is `workload`'s sidecar's SERVER span of a request the workload sent out, as Envoy records it
 * with spawn_upstream_span: its CLIENT span of the request it sent on (outboundSidecarOf) hangs beneath it.
 */
export function outboundSidecarServerOf(span: Span, workload: string): boolean {
  return span.kind === 'server' && clusterOf(span, 'outbound') && namedFor(span, workload);
}

/**
 * Whether `span` is an Envoy's SERVER span of a request it proxied on to another service, a proxy that records
 * no span of the upstream request (no spawn_upstream_span): its `upstream_cluster` names where it went (not its
 * own workload's inbound cluster), its `http.status_code` and `response_flags` the answer it gave.
 */
export function proxiedOn(span: Span): boolean {
  const cluster = span.attributes['upstream_cluster'];
  return (
    span.kind === 'server' &&
    typeof cluster === 'string' &&
    cluster !== '' &&
    cluster !== '-' &&
    !clusterOf(span, 'inbound') &&
    span.attributes['response_flags'] !== undefined
  );
}
