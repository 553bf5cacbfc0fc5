// The protobuf encoder is not public API (tracehop decodes dumps, it does not write them); tests that build
// protobuf bodies and dumps import it from here.
export { encodeOtlpProtobuf } from '../otlp-proto';
