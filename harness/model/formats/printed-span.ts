/** One span of an SDK's span print (Go's stdouttrace, Python's ConsoleSpanExporter), decoded without throwing. */
import type { OtlpDecodeResult } from '../otlp-json';
import type { Span, SpanSource } from '../span';
import { errorMessage } from '../../internal/result';
import { shownText } from '../../internal/shown-value';
import { JsonFault, faultResult, isRecord } from './json-fault';

/** How one SDK prints a span: the object its ids sit in, the field of its name, and what to do about a bad one. */
export interface SpanPrint {
  /** The field holding the span's ids ("SpanContext", "context"): a value without it is no such span. */
  readonly contextField: string;
  /** The field holding the span's name, to name the span in a message. */
  readonly nameField: string;
  /** What such a span is, for a value that is none: 'a stdouttrace span'. */
  readonly what: string;
  readonly hint: string;
  /** Reads one span; throws a JsonFault naming the field when a field is wrong. */
  readonly decode: (raw: Record<string, unknown>, source: SpanSource) => Span;
}

/**
 * Decodes one printed span. Never throws: errors name the file, the line the span starts on, the field and
 * the span.
 */
export function decodePrintedSpan(print: SpanPrint, value: unknown, source: SpanSource): OtlpDecodeResult {
  try {
    if (!isRecord(value) || !isRecord(value[print.contextField]))
      throw new JsonFault('', `is not ${print.what} (an object with "${print.contextField}")`);
    return { ok: true, spans: [print.decode(value, source)] };
  } catch (error) {
    if (error instanceof JsonFault) {
      const name = isRecord(value) ? value[print.nameField] : undefined;
      const fault =
        typeof name === 'string' ? new JsonFault(error.path, `${error.problem} (span ${shownText(name)})`) : error;
      return faultResult(fault, source, print.hint);
    }
    return faultResult(
      new JsonFault('', `could not be decoded (${errorMessage(error)})`),
      source,
      print.hint,
      'decoder-error',
    );
  }
}
