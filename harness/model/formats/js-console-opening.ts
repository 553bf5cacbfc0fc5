/**
 * Whether the first bytes of a file (`head`, as Latin-1) are ConsoleSpanExporter output: a line "{" whose
 * next line opens one of the print's first keys unquoted (as no JSON does), or a span printed on one line.
 * read-dump-file.ts looks at the first 1 MB of a file that does not open as JSON, and at the lines of a
 * collected log with their prefixes cut off (log-prefix.ts). Apart from js-console-file.ts, which is loaded only
 * for a file this says is a print (lazy-readers.ts).
 */
export function opensJsConsole(head: string): boolean {
  return /(?:^|\n)\{(?:\r?\n {2}| )(?:resource|instrumentationScope|instrumentationLibrary|traceId): /.test(head);
}
