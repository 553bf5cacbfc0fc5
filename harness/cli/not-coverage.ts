/**
 * What a file passed to `tracehop report --merge` holds when it is not a coverage.json but another file a user
 * has at hand: nothing, a trace dump (for --spans), a journeys file (for --journeys) or a topology.
 */
import { DUMP_FORMAT_NAMES, detectJsonFormat } from '../model/formats/dump-format';

/** The first JSON value of the text: the whole text, else its first non-empty line (JSON Lines); undefined when neither parses. */
function firstJsonValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const line = text.split('\n', 64).find((candidate) => candidate.trim() !== '');
    if (line === undefined) return undefined;
    try {
      return JSON.parse(line) as unknown;
    } catch {
      return undefined;
    }
  }
}

/**
 * The cause and what to do, for a failure message, when `text` is empty, binary, a trace dump, a journeys file
 * or a topology rather than a coverage.json; undefined otherwise (the coverage file's own error then stands).
 */
export function notCoverage(text: string, file: string): string | undefined {
  if (text.trim() === '')
    return 'the file is empty. Pass the coverage.json each shard wrote (a reporter writes it when its run ends)';
  // eslint-disable-next-line no-control-regex -- a binary file is told by its control bytes
  if (/[\u0000-\u0008\u000e-\u001f]/.test(text.slice(0, 256)))
    return `it is binary, not the JSON coverage a reporter wrote. A dump in OTLP protobuf or compressed is read with --spans: tracehop report --spans ${file} --journeys FILE -o DIR`;
  const value = firstJsonValue(text);
  if (value === null || typeof value !== 'object') return undefined;
  if (!Array.isArray(value) && 'version' in value) return undefined;
  const format = detectJsonFormat(value);
  if (format !== undefined)
    return `it holds spans (${DUMP_FORMAT_NAMES[format]}), not the coverage a reporter wrote. To build the reports from a dump, pass it with --spans: tracehop report --spans ${file} --journeys FILE -o DIR`;
  if (!Array.isArray(value) && 'journeys' in value && Array.isArray(value.journeys))
    return `it is a journeys file, not the coverage a reporter wrote. Pass it as --journeys beside --spans DUMP..., or pass the coverage.json each shard wrote to --merge`;
  if (!Array.isArray(value) && 'services' in value && Array.isArray(value.services))
    return `it is a topology file, not the coverage a reporter wrote. Pass the coverage.json each shard wrote`;
  return undefined;
}
