import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runInNewContext } from 'node:vm';
import { errorMessage, fail, readTextFile, succeed } from './result';

describe('result helpers', () => {
  it('builds both sides of a Result', () => {
    expect([succeed(3), fail('bad-input', 'it is bad')]).toEqual([
      { ok: true, value: 3 },
      { ok: false, reason: 'bad-input', message: 'it is bad' },
    ]);
  });

  it.each<[unknown, string]>([
    [new Error('boom'), 'boom'],
    [{ message: 7 }, '[object Object]'],
    ['plain', 'plain'],
    [42, '42'],
    [undefined, 'undefined'],
    [runInNewContext("new Error('from another realm')"), 'from another realm'],
    [{ message: 'not thrown as an Error' }, '[object Object]'],
  ])('errorMessage(%p) is %p', (error, message) => {
    expect(errorMessage(error)).toBe(message);
  });

  it('reads a file, and says why it cannot', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracehop-result-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.txt'), 'héllo');
      const directory = await readTextFile(dir);
      expect([
        await readTextFile(path.join(dir, 'a.txt')),
        await readTextFile(path.join(dir, 'missing.txt')),
        directory.ok ? 'read' : [directory.reason, directory.code],
      ]).toEqual([
        { ok: true, value: 'héllo' },
        { ok: false, reason: 'not-found', message: 'the file does not exist', code: 'ENOENT' },
        ['unreadable', 'EISDIR'],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
