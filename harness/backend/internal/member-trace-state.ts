import type { TraceState } from '@opentelemetry/api';
import { encodeTracestate, updateTracestate, type Tracestate } from '../../propagation';

/**
 * The SDK's TraceState interface over our strictly decoded members, so the SDK never re-parses a header
 * with rules of its own.
 */
export class MemberTraceState implements TraceState {
  constructor(readonly members: Tracestate) {}

  set(key: string, value: string): TraceState {
    const updated = updateTracestate(this.members, key, value);
    return updated.ok ? new MemberTraceState(updated.value) : this;
  }

  unset(key: string): TraceState {
    return new MemberTraceState(this.members.filter((member) => member.key !== key));
  }

  get(key: string): string | undefined {
    return this.members.find((member) => member.key === key)?.value;
  }

  serialize(): string {
    return encodeTracestate(this.members);
  }
}

/** The members of any TraceState (ours, or one the SDK built). */
export function traceStateMembers(state: TraceState | undefined): Tracestate {
  if (!state) return [];
  if (state instanceof MemberTraceState) return state.members;
  return state
    .serialize()
    .split(',')
    .map((part) => part.split('='))
    .filter((pair): pair is [string, string] => pair.length === 2)
    .map(([key, value]) => ({ key, value }));
}
