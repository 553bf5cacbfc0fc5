import { grafanaCsvProblem, grafanaFrameOf } from './grafana-frame';

const FRAME =
  "a trace as a Grafana data frame (Inspect's JSON tab: DataFrame JSON or panel data), Grafana's own columns rather than a trace format";
const CSV =
  'is a CSV header (traceID, spanID, ...): the file is a trace as Grafana\'s "Download CSV" writes its data frame, not a trace format';

describe("a trace saved from Grafana's inspector as its data frame", () => {
  const fields = [{ name: 'traceID' }, { name: 'spanID' }, { name: 'operationName' }];

  it('is known as DataFrame JSON (a list of frames or one), panel data, or a frame with its values in its fields', () => {
    const frame = { schema: { name: 'Trace', fields }, data: { values: [[], [], []] } };
    expect([
      grafanaFrameOf([frame]),
      grafanaFrameOf(frame),
      grafanaFrameOf({ state: 'Done', series: [{ fields: fields.map((field) => ({ ...field, values: [] })) }] }),
    ]).toEqual([FRAME, FRAME, FRAME]);
  });

  it('is not a frame without both id columns, nor any trace format', () => {
    const frame = (names: string[]) => ({ schema: { fields: names.map((name) => ({ name })) }, data: { values: [] } });
    expect([
      grafanaFrameOf([frame(['traceID', 'duration'])]),
      grafanaFrameOf({ data: [{ traceID: 'a', spans: [], processes: {} }] }),
      grafanaFrameOf({ resourceSpans: [] }),
      grafanaFrameOf([{ traceId: 'a', id: 'b', name: 'x' }]),
      grafanaFrameOf(null),
    ]).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('is known as CSV by its header, quoted or not, after blank lines or Excel\'s "sep=," line', () => {
    expect([
      grafanaCsvProblem(['"traceID","spanID","parentSpanID"\r', '"a","b",""']),
      grafanaCsvProblem(['', 'sep=,', 'traceID,spanID,operationName']),
      grafanaCsvProblem(['traceID\tspanID']),
      grafanaCsvProblem(['"Time","Value"', '1,2']),
      grafanaCsvProblem(['INFO: traceID, spanID logged']),
    ]).toEqual([CSV, CSV, CSV, undefined, undefined]);
  });
});
