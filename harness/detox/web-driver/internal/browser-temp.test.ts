import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeBrowserTemp, removeBrowserTemp } from './browser-temp';

describe("a browser's own TMPDIR", () => {
  it('is a new folder in the temp folder, removed with all in it', () => {
    const ours = (): string[] => fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('tracehop-chromium-'));
    const before = new Set(ours());
    const dir = makeBrowserTemp();
    if (dir === undefined) throw new Error(`no folder was made in ${os.tmpdir()}`);
    fs.mkdirSync(path.join(dir, 'org.chromium.Chromium.abcdef'));
    const made = ours().filter((name) => !before.has(name));
    removeBrowserTemp(dir);
    expect({ made: made.map((name) => path.join(os.tmpdir(), name)), left: fs.existsSync(dir) }).toEqual({
      made: [dir],
      left: false,
    });
  });

  it("is none where Chromium's singleton socket in it would be too long a path for a Unix socket", () => {
    // 107 characters at most on Linux, 103 on macOS: 45 are Chromium's and 25 the folder's.
    const room = (process.platform === 'darwin' ? 103 : 107) - 45 - 25;
    expect(makeBrowserTemp(`/${'x'.repeat(room)}`)).toBeUndefined();
  });
});
