/** The Detox config `tracehop init` reads in an app repository: the one Detox 20 itself would load. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileFunction } from 'node:vm';
import { errorMessage } from '../internal/result';

/**
 * Detox 20's own lookup, in its own order: locateExternalConfig in detox/src/configuration/loadExternalConfig.js
 * (20.51) finds up from the working folder the first of these names, then package.json, whose "detox" key is
 * the config. init runs in the package root, whose package.json ends Detox's search: no parent folder counts.
 * Detox require()s the .js and .cjs names and parses the others as JSON.
 */
export const DETOX_CONFIG_FILES: readonly string[] = [
  '.detoxrc.cjs',
  '.detoxrc.js',
  '.detoxrc.json',
  '.detoxrc',
  'detox.config.cjs',
  'detox.config.js',
  'detox.config.json',
];

/**
 * The Detox config Detox would load in `cwd`: the first of DETOX_CONFIG_FILES there (a folder of that name
 * too: init refuses it), else package.json when its "detox" key holds an object, else none.
 */
export function locateDetoxConfig(cwd: string, manifest: { detox?: unknown }): string | undefined {
  const file = DETOX_CONFIG_FILES.find((name) => existsSync(join(cwd, name)));
  if (file !== undefined) return file;
  const { detox } = manifest;
  return typeof detox === 'object' && detox !== null && !Array.isArray(detox) ? 'package.json' : undefined;
}

/** How init names a Detox config in what it prints: the file, or package.json's "detox" key. */
export function detoxConfigLabel(file: string): string {
  return file === 'package.json' ? 'the "detox" key of package.json' : file;
}

/**
 * Why Detox could not load this config, or undefined when it can: JSON that does not parse, or JavaScript
 * that does not compile. JavaScript is compiled as the CommonJS module Detox require()s (a top-level return
 * is legal), not run: a syntax error is found without running the app's code. package.json was read already.
 */
export function detoxConfigFault(cwd: string, file: string): string | undefined {
  if (file === 'package.json') return undefined;
  const path = join(cwd, file);
  try {
    const text = readFileSync(path, 'utf8');
    if (/\.c?js$/.test(file))
      compileFunction(text, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: path });
    else JSON.parse(text);
    return undefined;
  } catch (error) {
    return errorMessage(error);
  }
}
