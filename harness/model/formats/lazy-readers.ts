/**
 * The readers of every format but OTLP/JSON, each loaded the first time a file needs it: `tracehop check` on an
 * OTLP/JSON dump loads none of them, nor the protobuf decoder (start-up, docs/PERFORMANCE.md). Each getter
 * returns the reader's module; Node loads a module once, and the getter keeps it for the next call.
 */
import type * as GoStdouttrace from './go-stdouttrace';
import type * as JaegerJson from './jaeger-json';
import type * as JsConsoleFile from './js-console-file';
import type * as JsonPrintFile from './json-print-file';
import type * as OtlpProtoFile from './otlp-proto-file';
import type * as PythonConsole from './python-console';
import type * as ReactNativeLogFile from './react-native-log-file';
import type * as ZipkinJson from './zipkin-json';

function once<T>(load: () => T): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load());
}

/* eslint-disable @typescript-eslint/no-require-imports -- loaded when first needed, on purpose (see above) */
export const goStdouttrace = once(() => require('./go-stdouttrace') as typeof GoStdouttrace);
export const jaegerJson = once(() => require('./jaeger-json') as typeof JaegerJson);
export const jsConsoleFile = once(() => require('./js-console-file') as typeof JsConsoleFile);
export const jsonPrintFile = once(() => require('./json-print-file') as typeof JsonPrintFile);
export const otlpProtoFile = once(() => require('./otlp-proto-file') as typeof OtlpProtoFile);
export const pythonConsole = once(() => require('./python-console') as typeof PythonConsole);
export const reactNativeLogFile = once(() => require('./react-native-log-file') as typeof ReactNativeLogFile);
export const zipkinJson = once(() => require('./zipkin-json') as typeof ZipkinJson);
/* eslint-enable @typescript-eslint/no-require-imports */
