import type { Failure } from '../internal/result';

/**
 * Why a trace dump, one of its documents or an OTLP body could not be decoded: a stable word a program can
 * switch on, beside the message for people (`harness/internal/result.ts`).
 *
 * - `empty`: the file has no bytes (or only whitespace).
 * - `not-json`: a JSON syntax error.
 * - `invalid-document`: well-formed input whose spans break the format (the path or byte offset says where).
 * - `invalid-protobuf`: protobuf whose framing or wire types are broken, or a truncated frame.
 * - `decoder-error`: the decoder itself stopped on something unexpected.
 * - `unknown-format`: none of the formats tracehop reads.
 * - `mixed-formats`: one file holds documents of two formats.
 * - `wrong-format`: the bytes are not the format `--format` names.
 * - `too-large`: a line or document is longer than one string can hold.
 * - `not-found`, `unreadable`: the file is not there, or cannot be read.
 * - `corrupt-compression`: gzip or zstd data that is corrupt or cut short.
 * - `unsupported-compression`: zstd on a Node.js without it (before 22.15, or 23.0 to 23.7).
 */
export type DecodeReason =
  | 'empty'
  | 'not-json'
  | 'invalid-document'
  | 'invalid-protobuf'
  | 'decoder-error'
  | 'unknown-format'
  | 'mixed-formats'
  | 'wrong-format'
  | 'too-large'
  | 'not-found'
  | 'unreadable'
  | 'corrupt-compression'
  | 'unsupported-compression';

/**
 * A dump that could not be decoded: the reason and the user-facing (prefixed) message, with the file and,
 * where known, the 1-based line (of a JSON Lines file or a JSON syntax error) and the JSON path inside the
 * document (e.g. `resourceSpans[0].scopeSpans[1].spans[3].spanId`).
 */
export type DecodeFailure = Failure<DecodeReason> & {
  readonly file: string;
  readonly line?: number;
  readonly path?: string;
};
