/**
 * One table-driven loop over the fields of a protobuf message. A message is described once, by a table of
 * its known fields (number -> name, expected wire type, and a plain function that reads the value into the
 * message's state); `walkFields` reads the tags, checks each wire type against the table, hands the value to
 * the field's reader and skips unknown fields of any wire type. Faults are thrown as `ProtobufFault`, like
 * the reader's own, for the decoder that owns the boundary to catch.
 */
import { ProtobufFault, type ProtobufReader, wireName } from './protobuf-reader';

/**
 * Reads one field's value into `state`. The reader stands at the value (after the tag), bounded by the
 * enclosing message; `depth` is the depth the message is walked at (see `walkMessage`).
 */
export type FieldReader<S> = (reader: ProtobufReader, state: S, depth: number) => void;

export interface FieldSpec<S> {
  /** The field as faults name it: "trace_id", "AnyValue.string_value". */
  readonly name: string;
  /** The wire type the field must have (WIRE_VARINT, WIRE_FIXED64, WIRE_LENGTH_DELIMITED, WIRE_FIXED32). */
  readonly wire: number;
  readonly read: FieldReader<S>;
}

/** How deep a message may be entered by `walkMessage`, and what a fault past that says. */
export interface DepthLimit {
  readonly max: number;
  readonly problem: string;
}

export interface MessageSpec<S> {
  /** The known fields by field number; every other field is skipped. */
  readonly fields: { readonly [field: number]: FieldSpec<S> };
  /** A path put before field names in faults ("resource_spans[0]" + ".resource"), read only on a fault. */
  readonly pathOf?: (state: S) => string;
  readonly depthLimit?: DepthLimit;
}

/** A message's fields as a dense array indexed by field number: one bounds check and one load per tag. */
export interface MessageTable<S> {
  readonly byNumber: readonly (FieldSpec<S> | undefined)[];
  readonly pathOf: ((state: S) => string) | undefined;
  readonly depthLimit: DepthLimit | undefined;
}

/** Builds a message's table; build each once, at module load, never per message. */
export function messageTable<S>(spec: MessageSpec<S>): MessageTable<S> {
  const numbers = Object.keys(spec.fields).map(Number);
  for (const number of numbers) {
    if (!Number.isInteger(number) || number < 1) throw new Error(`field number ${number} is not a positive integer`);
  }
  const byNumber = Array.from({ length: Math.max(0, ...numbers) + 1 }, (_, n) => spec.fields[n]);
  return { byNumber, pathOf: spec.pathOf, depthLimit: spec.depthLimit };
}

function wrongWire<S>(table: MessageTable<S>, state: S, field: FieldSpec<S>, wire: number, at: number): ProtobufFault {
  const name = table.pathOf ? `${table.pathOf(state)}.${field.name}` : field.name;
  return new ProtobufFault(at, `${name} has wire type ${wireName(wire)}, expected ${wireName(field.wire)}`);
}

/** Reads the fields of the message the reader is in, from `reader.pos` up to `reader.end`, into `state`. */
export function walkFields<S>(reader: ProtobufReader, table: MessageTable<S>, state: S, depth: number): void {
  const byNumber = table.byNumber;
  while (reader.pos < reader.end) {
    const at = reader.pos;
    const tag = reader.varint32();
    const number = tag >>> 3;
    const wire = tag & 7;
    const field = number < byNumber.length ? byNumber[number] : undefined;
    if (field === undefined) reader.skip(wire, at);
    else if (field.wire !== wire) throw wrongWire(table, state, field, wire, at);
    else field.read(reader, state, depth);
  }
}

/**
 * Reads an embedded message (the reader stands at its length prefix) into `state` and leaves the reader right
 * after it. A table with a depth limit refuses to be walked deeper than its `max`, with a fault at the start
 * of the message's bytes, so a hostile body cannot overflow the stack.
 */
export function walkMessage<S>(reader: ProtobufReader, table: MessageTable<S>, state: S, depth: number): void {
  const outer = reader.enter();
  const limit = table.depthLimit;
  if (limit !== undefined && depth > limit.max) throw new ProtobufFault(reader.pos, limit.problem);
  walkFields(reader, table, state, depth);
  reader.leave(outer);
}
