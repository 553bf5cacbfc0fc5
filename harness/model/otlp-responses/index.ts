/**
 * The protobuf bodies the mock backend's OTLP/HTTP receiver answers with. A module of its own, beside the
 * model barrel rather than in it: the receiver needs them, the `tracehop` entry does not publish them.
 */
export { encodeExportResponse, encodeRpcStatus } from './encode-responses';
export { decodeCollectorAnswer, type CollectorAnswer } from './decode-responses';
