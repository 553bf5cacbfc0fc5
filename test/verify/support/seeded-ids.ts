/**
 * Test support shared by every suite that records spans with the OpenTelemetry SDK: deterministic ids (a
 * journey or dump built twice is the same), and a plain-object carrier for the W3C propagator.
 */
import type { IdGenerator } from '@opentelemetry/sdk-trace-base';

/** Deterministic ids from a seed (xorshift32), never all zeros, with a way to force the next span ids. */
export class SeededIds implements IdGenerator {
  private state: number;
  /** Span ids handed out before any generated one (a test that needs a retry to reuse an id). */
  forced: string[] = [];
  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }
  private hex(chars: number): string {
    let out = '';
    while (out.length < chars) {
      this.state ^= this.state << 13;
      this.state ^= this.state >>> 17;
      this.state ^= this.state << 5;
      out += (this.state >>> 0).toString(16).padStart(8, '0');
    }
    return out.slice(0, chars);
  }
  generateTraceId(): string {
    return this.hex(32);
  }
  generateSpanId(): string {
    return this.forced.shift() ?? this.hex(16);
  }
}

/** Header names to values, as the propagator reads and writes them. */
export type HeaderCarrier = Record<string, string>;

/** The propagator's setter over a {@link HeaderCarrier}. */
export const headerSetter = {
  set: (carrier: HeaderCarrier, key: string, value: string): void => void (carrier[key] = value),
};

/** The propagator's getter over a {@link HeaderCarrier}. */
export const headerGetter = {
  get: (carrier: HeaderCarrier, key: string): string | undefined => carrier[key],
  keys: (carrier: HeaderCarrier): string[] => Object.keys(carrier),
};
