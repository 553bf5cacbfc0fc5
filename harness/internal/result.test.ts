import * as fs from 'node:fs';
import * as path from 'node:path';
import { runInNewContext } from 'node:vm';
import { scratchDir } from '../test-support/scratch-dir';
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

  it('reads a file without its byte order mark, and says why it cannot: missing, a directory, UTF-16', async () => {
    const dir = scratchDir('tracehop-result-');
    fs.writeFileSync(path.join(dir, 'a.txt'), 'héllo');
    fs.writeFileSync(path.join(dir, 'bom.json'), '\uFEFF{"a": 1}');
    fs.writeFileSync(path.join(dir, 'utf16.json'), Buffer.from('{"a": 1}', 'utf16le'));
    fs.writeFileSync(path.join(dir, 'utf16-bom.json'), Buffer.from('\uFEFF{"a": 1}', 'utf16le'));
    const utf16 = 'the file is UTF-16 text, not UTF-8 (save it as UTF-8, or "iconv -f UTF-16 -t UTF-8")';
    expect([
      await readTextFile(path.join(dir, 'a.txt')),
      await readTextFile(path.join(dir, 'bom.json')),
      await readTextFile(path.join(dir, 'missing.txt')),
      await readTextFile(dir),
      await readTextFile(path.join(dir, 'utf16.json')),
      await readTextFile(path.join(dir, 'utf16-bom.json')),
    ]).toEqual([
      { ok: true, value: 'héllo' },
      { ok: true, value: '{"a": 1}' },
      { ok: false, reason: 'not-found', message: 'the file does not exist', code: 'ENOENT' },
      { ok: false, reason: 'unreadable', message: 'it is a directory, not a file', code: 'EISDIR' },
      { ok: false, reason: 'unreadable', message: utf16 },
      { ok: false, reason: 'unreadable', message: utf16 },
    ]);
  });
});
