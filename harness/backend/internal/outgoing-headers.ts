import { randomBytes } from 'node:crypto';
import type { SpanContext } from '@opentelemetry/api';
import { asSpanId, asTraceId, type HeaderEntry } from '../../model';
import {
  encodeB3Multi,
  encodeB3Single,
  encodeTraceparent,
  encodeTracestate,
  FLAG_RANDOM,
  FLAG_SAMPLED,
  type B3Context,
} from '../../propagation';
import type { FaultName } from '../faults';
import { traceStateMembers } from './member-trace-state';

/** What a CLIENT span propagates: its context, the random flag it inherited, and baggage to forward. */
export interface Propagated {
  readonly client: SpanContext;
  /** Level 2 random flag: inherited from the incoming traceparent, or set for a trace we started. */
  readonly random: boolean;
  /** The incoming baggage header, forwarded unchanged (already checked by the codec). */
  readonly baggage?: string;
}

/** The W3C headers a correct SDK would send for a CLIENT span. */
export function correctHeaders({ client, random, baggage }: Propagated): HeaderEntry[] {
  const traceFlags = (client.traceFlags & FLAG_SAMPLED) | (random ? FLAG_RANDOM : 0);
  const headers: HeaderEntry[] = [
    [
      'traceparent',
      encodeTraceparent({ traceId: asTraceId(client.traceId), parentId: asSpanId(client.spanId), traceFlags }),
    ],
  ];
  const tracestate = encodeTracestate(traceStateMembers(client.traceState));
  if (tracestate !== '') headers.push(['tracestate', tracestate]);
  if (baggage) headers.push(['baggage', baggage]);
  return headers;
}

function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** The four dash-separated fields of a traceparent; missing ones read as empty. */
type TraceparentParts = readonly [version: string, traceId: string, parentId: string, flags: string];

function replaceTraceparent(
  headers: readonly HeaderEntry[],
  rewrite: (fields: TraceparentParts) => string[],
): HeaderEntry[] {
  return headers.map(([name, value]) => {
    if (name !== 'traceparent') return [name, value];
    const [version = '', traceId = '', parentId = '', flags = '', ...rest] = value.split('-');
    return [name, [...rewrite([version, traceId, parentId, flags]), ...rest].join('-')];
  });
}

/**
 * Applies a fault to the headers a service sends downstream, as the misbehaving proxy or SDK would.
 * Without a fault the headers pass unchanged.
 */
export function applyFault(
  headers: readonly HeaderEntry[],
  fault: FaultName | undefined,
  client: SpanContext,
): HeaderEntry[] {
  switch (fault) {
    case undefined:
      return [...headers];
    case 'drop-traceparent':
      return headers.filter(([name]) => name !== 'traceparent');
    case 'new-trace':
      return replaceTraceparent(headers, ([version, , , flags]) => [version, randomHex(16), randomHex(8), flags]);
    case 'uppercase-traceparent':
      return headers.map(([name, value]) => (name === 'traceparent' ? [name, value.toUpperCase()] : [name, value]));
    case 'rewrite-parent':
      return replaceTraceparent(headers, ([version, traceId, , flags]) => [version, traceId, randomHex(8), flags]);
    case 'duplicate-traceparent': {
      // A second instrumentation injects its own span's context next to the first one.
      const second = encodeTraceparent({
        traceId: asTraceId(client.traceId),
        parentId: asSpanId(randomHex(8)),
        traceFlags: client.traceFlags & FLAG_SAMPLED,
      });
      const out = [...headers];
      const index = out.findIndex(([name]) => name === 'traceparent');
      out.splice(index + 1, 0, ['traceparent', second]);
      return out;
    }
    case 'b3-only': {
      const b3: B3Context = {
        kind: 'ids',
        traceId: asTraceId(client.traceId),
        traceIdLength: 32,
        spanId: asSpanId(client.spanId),
        sampling: (client.traceFlags & FLAG_SAMPLED) !== 0 ? 'accept' : 'deny',
      };
      const rest = headers.filter(([name]) => name !== 'traceparent' && name !== 'tracestate');
      return [['b3', encodeB3Single(b3)], ...encodeB3Multi(b3), ...rest];
    }
    case 'unsampled':
      return replaceTraceparent(headers, ([version, traceId, parentId, flags]) => [
        version,
        traceId,
        parentId,
        (parseInt(flags, 16) & ~FLAG_SAMPLED).toString(16).padStart(2, '0'),
      ]);
    case 'strip-tracestate':
      return headers.filter(([name]) => name !== 'tracestate');
    case 'strip-baggage':
      return headers.filter(([name]) => name !== 'baggage');
    // These two act elsewhere: on the preflight answer (service-listener), on a redirected call (service).
    case 'cors-omits-trace-headers':
    case 'redirect-drops-headers':
      return [...headers];
  }
}
