/**
 * What to do with a JSON document too long for one string (V8's limit, about 512 MB): split it into JSON Lines
 * that tracehop reads, with the jq command for the document it is, told by how it opens. A trace store's answer
 * (Jaeger's /api/traces with a large limit, Zipkin's /api/v2/traces) cannot be written as the Collector's
 * file exporter writes, which is all the hint used to say.
 */
const SPLITS: readonly { opens: RegExp; what: string; jq: string }[] = [
  { opens: /^\s*\{\s*"data"\s*:\s*\[/, what: 'one Jaeger trace a line', jq: '.data[]' },
  { opens: /^\s*\[\s*\{\s*"traceID"\s*:/, what: 'one Jaeger trace a line', jq: '.[]' },
  { opens: /^\s*\[\s*\[/, what: "one Zipkin trace's spans a line", jq: '.[]' },
  { opens: /^\s*\[\s*\{\s*"traceId"\s*:\s*"/, what: 'one Zipkin span a line, in a list of its own', jq: '.[] | [.]' },
  { opens: /^\s*\{\s*"resourceSpans"\s*:\s*\[/, what: 'one ResourceSpans a line', jq: '.resourceSpans[]' },
  { opens: /^\s*\{\s*"batches"\s*:\s*\[/, what: 'one ResourceSpans a line', jq: '.batches[]' },
];

const DEFAULT =
  'Write the dump as JSON Lines (one ExportTraceServiceRequest per line), as the Collector file exporter does.';

/**
 * The hint for the file `file` that holds a document too long: `head` is its first bytes (decompressed) read as
 * Latin-1, `decompress` the command that writes it decompressed to stdout, when it is compressed.
 */
export function splitHint(head: string, file: string, decompress?: string): string {
  const split = SPLITS.find((candidate) => candidate.opens.test(head));
  if (split === undefined) return DEFAULT;
  const out = `${file.replace(/(?:\.jsonl?)?(?:\.gz|\.zst)?$/, '')}.split.jsonl`;
  const command =
    decompress === undefined
      ? `jq -c '${split.jq}' ${file} > ${out}`
      : `${decompress} ${file} | jq -c '${split.jq}' > ${out}`;
  return `Split it into JSON Lines, ${split.what}, and check those: ${command}.`;
}
