import { holdsSharedCallId, type Span, type SpanNode, type Trace } from '../model';
import { describeSpan, describeSpanName, INJECT_CALL_SPAN_FIX, kindWord } from './internal/describe';
import { CALLEE_KINDS, CALLER_KINDS, forwardedFrom, isDatabaseCall } from './internal/calls';
import { outboundSidecarOf, sidecarHandsTo } from './internal/sidecars';
import type { WrongParentProblem } from './problem';

/**
 * The call span a child should hang under: the parent's only CLIENT/PRODUCER child in its own service; `none`
 * when it has no such child (the service recorded no span for its outgoing calls), undefined when several.
 */
function onlyCallSpan(parentNode: SpanNode, beneath: CallsBeneath): Span | 'none' | undefined {
  let found: Span | undefined;
  for (const child of parentNode.children) {
    if (child.span.service !== parentNode.span.service || !CALLER_KINDS.has(child.span.kind)) continue;
    if (found) return undefined;
    found = child.span;
  }
  if (found) return found;
  return beneath.has(parentNode) ? undefined : 'none';
}

/** Whether a node's service recorded a call span beneath it (under its handler spans, say), per node. */
type CallsBeneath = { has(node: SpanNode): boolean };

/**
 * Which nodes have, beneath them in their own service, a CLIENT or PRODUCER span that is no database call (a
 * database call carries no context anywhere): worked out once per trace, bottom up, so a deep trace stays
 * linear.
 */
function callsBeneath(trace: Trace): CallsBeneath {
  const known = new Map<SpanNode, boolean>();
  const callsOut = (node: SpanNode): boolean => CALLER_KINDS.has(node.span.kind) && !isDatabaseCall(node.span);
  // Post-order without recursion: a node is settled once all its children are.
  const stack: Array<[SpanNode, boolean]> = trace.roots.map((root) => [root.node, false]);
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [node, expanded] = next;
    if (!expanded) {
      stack.push([node, true]);
      for (const child of node.children) stack.push([child, false]);
      continue;
    }
    let found = false;
    for (const child of node.children) {
      if (child.span.service !== node.span.service) continue;
      if (callsOut(child) || known.get(child) === true) found = true;
    }
    known.set(node, found);
  }
  return { has: (node) => known.get(node) === true };
}

/** Why the parent is wrong, and the fix, in the words of what the parent's service did. */
function wrongParentCause(parent: Span, expected: Span | 'none' | undefined): string {
  if (expected === 'none' && CALLEE_KINDS.has(parent.kind)) {
    // One span per request and its context passed on: what nginx-otel and Envoy's ingress spans do.
    return (
      `, and ${parent.service} recorded no CLIENT or PRODUCER span for its call: it passed on the span of the request it received, ` +
      `as a proxy that records one span per request does (nginx-otel; Envoy without spawn_upstream_span) ` +
      `(start a CLIENT span for the outgoing call and inject its context; for a proxy, turn on its upstream spans or let it pass traceparent through untraced)`
    );
  }
  const instead =
    expected !== undefined && expected !== 'none'
      ? ` instead of its CLIENT span ${describeSpanName(expected)}`
      : ', not to a CLIENT or PRODUCER span';
  // A SERVER or CONSUMER span is the request the service serves; any other (an app's journey span) encloses it.
  const injected = CALLEE_KINDS.has(parent.kind)
    ? 'the context of its incoming request'
    : 'the context of that span (one enclosing the call: a journey or handler span)';
  return `${instead}: ${parent.service} injected ${injected} instead of the span of its outgoing call ${INJECT_CALL_SPAN_FIX}`;
}

/**
 * `wrong-parent`: a span whose parent lives in another service must be parented to that service's CLIENT or
 * PRODUCER span (the span of the outgoing call), not to a SERVER or INTERNAL span. A parent whose kind was
 * never written (UNSPECIFIED) is not judged, nor is a B3 shared SERVER span that holds the call's id alone
 * (see holdsSharedCallId).
 */
export function findWrongParents(trace: Trace): WrongParentProblem[] {
  const problems: WrongParentProblem[] = [];
  // Once per parent, not per child: a fan-out of many wrong children must stay linear.
  let callerOf: Map<SpanNode, Span | 'none' | undefined> | undefined;
  let beneath: CallsBeneath | undefined;
  // One pass over the parent links: a CLIENT/PRODUCER parent is right for its callees unless a hop forwarded
  // the traceparent it received (findForwarded); any other parent in another service is wrong.
  // By index: a for...of over a node's children (the shared frozen empty list among them) cannot be inlined.
  const nodes = trace.nodes;
  for (let n = 0; n < nodes.length; n++) {
    const parentNode = nodes[n] as SpanNode;
    const children = parentNode.children;
    if (children.length === 0) continue;
    const parent = parentNode.span;
    if (CALLER_KINDS.has(parent.kind)) {
      if (children.length > 1) findForwarded(parentNode, problems);
      continue;
    }
    // A parent of no written kind (a Jaeger span without a span.kind tag) may well be the call span.
    if (parent.kind === 'unspecified') continue;
    for (let c = 0; c < children.length; c++) {
      const child = children[c] as SpanNode;
      const span = child.span;
      if (parent.service === span.service) continue;
      // A mesh's inbound sidecar (Envoy in Istio) records the request and hands it to its own workload, whose
      // SERVER span it parents: one hop, not a service injecting its incoming context.
      if (sidecarHandsTo(parent, span)) continue;
      // A B3 shared SERVER span that holds its id alone is the span of the call itself: the caller allocated
      // the call's id under its own span and recorded no CLIENT half (py_zipkin without a client span).
      if (holdsSharedCallId(span)) continue;
      // Made at the first wrong child: a sound trace needs no map.
      callerOf ??= new Map();
      beneath ??= callsBeneath(trace);
      if (!callerOf.has(parentNode)) callerOf.set(parentNode, onlyCallSpan(parentNode, beneath));
      const expected = callerOf.get(parentNode);
      // Its outbound sidecar records the workload's call under the span of the request the workload serves, when
      // the workload recorded no CLIENT span of its own: the call's own span, not a hop. Beside a CLIENT span of
      // the workload's, the workload injected the context of its request instead of that span's.
      if (expected === 'none' && outboundSidecarOf(span, parent.service)) continue;
      problems.push({
        kind: 'wrong-parent',
        traceId: span.traceId,
        spanId: span.spanId,
        service: span.service,
        expectedParentSpanId: expected !== undefined && expected !== 'none' ? expected.spanId : null,
        actualParentSpanId: parent.spanId,
        message: `${describeSpan(span)} is parented to ${parent.service}'s ${kindWord(parent.kind)} span ${describeSpanName(parent)}${wrongParentCause(parent, expected)}`,
      });
    }
  }
  return problems;
}

/**
 * A forwarded traceparent: B answered A's CLIENT span, then called C but sent on the traceparent it received
 * instead of its own CLIENT span's. C's SERVER span then hangs under A's CLIENT span, beside B's, while B's
 * CLIENT span for that call has no child. The call is told by route, or else by C starting during it, and is
 * of the kind that makes C's span, aimed nowhere else; consumers of one message are siblings by design, tied
 * only by route (see forwardedFrom).
 */
function findForwarded(callNode: SpanNode, problems: WrongParentProblem[]): void {
  const call = callNode.span;
  const callees = callNode.children.filter(
    (child) => child.span.service !== call.service && CALLEE_KINDS.has(child.span.kind),
  );
  if (callees.length < 2) return;
  for (const callee of callees) {
    for (const other of callees) {
      const own = forwardedFrom(callNode, callee.span, other);
      if (!own) continue;
      const middle = other.span.service;
      problems.push({
        kind: 'wrong-parent',
        traceId: callee.span.traceId,
        spanId: callee.span.spanId,
        service: callee.span.service,
        expectedParentSpanId: own.spanId,
        actualParentSpanId: call.spanId,
        message:
          `${describeSpan(callee.span)} is parented to ${call.service}'s ${kindWord(call.kind)} span ${describeSpanName(call)} ` +
          `instead of ${middle}'s ${kindWord(own.kind)} span ${describeSpanName(own)} on the hop ${middle} -> ${callee.span.service}: ` +
          `${middle} forwarded the traceparent it received instead of injecting its own client span ` +
          INJECT_CALL_SPAN_FIX,
      });
      break;
    }
  }
}
