import { ProtobufReader, WIRE_LENGTH_DELIMITED, WIRE_VARINT } from '../internal/protobuf-reader';

/** What a collector's answer to an export says: the spans it rejected and why, or the message of a refusal. */
export interface CollectorAnswer {
  /** `partial_success.rejected_spans` of a success; 0 when absent. */
  readonly rejectedSpans: number;
  /** `partial_success.error_message` of a success, or the `message` of a refusal's google.rpc.Status. */
  readonly message: string;
}

const NOTHING: CollectorAnswer = { rejectedSpans: 0, message: '' };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a message's varint field 1 and string field 2 (both messages we read are shaped so); skips the rest. */
function readNumberAndText(reader: ProtobufReader): { number: number; text: string } {
  let number = 0;
  let text = '';
  while (!reader.atEnd()) {
    const tagAt = reader.pos;
    const tag = reader.varint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1 && wire === WIRE_VARINT) number = reader.int64();
    else if (field === 2 && wire === WIRE_LENGTH_DELIMITED) text = reader.string();
    else reader.skip(wire, tagAt);
  }
  return { number, text };
}

/**
 * Reads an OTLP/HTTP answer body, by its content type: an ExportTraceServiceResponse (success) or a
 * google.rpc.Status (refusal), in protobuf or JSON; text/plain is the message itself. Never throws: a body it
 * cannot read says nothing (rejectedSpans 0, message '').
 */
export function decodeCollectorAnswer(body: Uint8Array, contentType: string, success: boolean): CollectorAnswer {
  const type = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  try {
    if (type === 'application/x-protobuf' || type === 'application/protobuf') {
      const reader = new ProtobufReader(body, 0, body.length);
      if (!success) return { rejectedSpans: 0, message: readNumberAndText(reader).text };
      while (!reader.atEnd()) {
        const tagAt = reader.pos;
        const tag = reader.varint32();
        if (tag >>> 3 !== 1 || (tag & 7) !== WIRE_LENGTH_DELIMITED) {
          reader.skip(tag & 7, tagAt);
          continue;
        }
        const outer = reader.enter();
        const { number, text } = readNumberAndText(reader);
        reader.leave(outer);
        return { rejectedSpans: number, message: text };
      }
      return NOTHING;
    }
    const text = Buffer.from(body).toString('utf8');
    if (type === 'application/json') {
      const value: unknown = JSON.parse(text);
      const holder = success && isRecord(value) ? value.partialSuccess : value;
      if (!isRecord(holder)) return NOTHING;
      const rejected = success ? Number(holder.rejectedSpans ?? 0) : 0;
      const message = success ? holder.errorMessage : holder.message;
      return {
        rejectedSpans: Number.isFinite(rejected) ? rejected : 0,
        message: typeof message === 'string' ? message : '',
      };
    }
    // Plain text is the message (an HTML page is not: its markup would bury it).
    return success || type !== 'text/plain' ? NOTHING : { rejectedSpans: 0, message: text.trim() };
  } catch {
    return NOTHING;
  }
}
