/**
 * `tracehop check` on Zipkin spans reported in pieces across documents: each record of what zipkin-go POSTed
 * (fixtures/dumps/zipkin-clients) cut in two, the piece with its timestamp in the POST it came in and the piece
 * with its kind (and so the shared SERVER span's flag) and tags in a later answer, in the same file or in
 * another. Zipkin merges the pieces when it reads a trace; the verdict must be the one of the POSTs as sent.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHAIN, ROOT, runCli, tempFiles } from './support';

type ZipkinRecord = Record<string, unknown>;

/** The POSTs of a zipkin-clients scenario, and a last POST of the pieces cut from their records. */
function cutInPieces(name: string, keys: readonly string[]): { posts: string[]; pieces: string } {
  const text = readFileSync(join(ROOT, 'fixtures/dumps/zipkin-clients', `${name}.posts.json`), 'utf8');
  const posts = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ZipkinRecord[]);
  const pieces: ZipkinRecord[] = [];
  const cut = posts.map((records) =>
    records.map((record) => {
      const kept: ZipkinRecord = { ...record };
      const piece: ZipkinRecord = { traceId: record.traceId, id: record.id, localEndpoint: record.localEndpoint };
      for (const key of keys)
        if (key in record) {
          piece[key] = record[key];
          delete kept[key];
        }
      pieces.push(piece);
      return kept;
    }),
  );
  return { posts: cut.map((records) => JSON.stringify(records)), pieces: JSON.stringify(pieces) };
}

const OK =
  '[tracehop] OK: 1 trace, 7 spans, no problems; mobile-app -> api-gateway -> payment-api -> fraud-service run in one trace.\n';

describe('check of Zipkin spans reported in pieces across documents', () => {
  it('merges tags sent in a later answer of the same file, as Zipkin does', async () => {
    const { posts, pieces } = cutInPieces('zipkin-go-ok', ['tags']);
    const dir = tempFiles({ 'posts.json': [...posts, pieces].join('\n') });
    expect(await runCli(['check', '--expect', CHAIN, 'posts.json'], dir)).toEqual({ code: 0, stdout: OK, stderr: '' });
  });

  it('merges kinds and shared flags sent in another file, as Zipkin does', async () => {
    const { posts, pieces } = cutInPieces('zipkin-go-ok', ['kind', 'shared', 'tags']);
    const dir = tempFiles({ 'posts.json': posts.join('\n'), 'late.json': pieces });
    expect(await runCli(['check', '--expect', CHAIN, 'posts.json', 'late.json'], dir)).toEqual({
      code: 0,
      stdout: OK,
      stderr: '',
    });
  });

  it('gives the verdict of the POSTs as sent when a hop dropped the headers', async () => {
    const { posts, pieces } = cutInPieces('zipkin-go-dropped', ['kind', 'shared', 'tags']);
    const dir = tempFiles({ 'posts.json': posts.join('\n'), 'late.json': pieces });
    const whole = await runCli([
      'check',
      '--expect',
      CHAIN,
      `${ROOT}/fixtures/dumps/zipkin-clients/zipkin-go-dropped.posts.json`,
    ]);
    const split = await runCli(['check', '--expect', CHAIN, 'posts.json', 'late.json'], dir);
    expect([whole.code, whole.stdout.split('\n')[0]]).toEqual([
      1,
      'mobile-app -> api-gateway -> payment-api -> fraud-service: 1 run, 1 broken (broken-chain 1)',
    ]);
    expect(split).toEqual(whole);
  });
});
