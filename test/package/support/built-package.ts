/**
 * A scratch app with this repository's build installed as npm would leave it: node_modules/tracehop holding
 * package.json and dist/, and each of tracehop's dependencies linked to this repository's copy. For suites that
 * load the package as an app does without packing it (`npm pack` is packed-app.test.ts's, and slow).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');

/** Links `name` in the app's node_modules to `target`, a package folder this repository installed. */
export function linkPackage(app: string, name: string, target: string): void {
  const at = path.join(app, 'node_modules', name);
  fs.mkdirSync(path.dirname(at), { recursive: true });
  fs.symlinkSync(fs.realpathSync(target), at, 'dir');
}

/** Installs the build (run `npm run build` first) into `app`, with tracehop's dependencies linked. */
export function installBuiltTracehop(app: string): void {
  const tracehop = path.join(app, 'node_modules', 'tracehop');
  fs.mkdirSync(tracehop, { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(tracehop, 'package.json'));
  fs.cpSync(path.join(ROOT, 'dist'), path.join(tracehop, 'dist'), { recursive: true });
  const { dependencies } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  for (const name of Object.keys(dependencies)) linkPackage(app, name, path.join(ROOT, 'node_modules', name));
}
