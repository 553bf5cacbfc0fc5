/** The Detox config `tracehop init` reads in an app repository: the one Detox 20 itself would load. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileFunction } from 'node:vm';
import { notJsonCause } from '../internal/json-error-offset';
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

/** The Detox config init found, as its notes need it. */
export interface DetoxConfig {
  /** The file Detox reads: one of DETOX_CONFIG_FILES, or package.json (its "detox" key). */
  readonly file: string;
  /** Detox parses it as JSON: the entries to add print as JSON. */
  readonly json: boolean;
  /** Its testRunner.args.config already names the e2e Jest config. */
  readonly runsJestConfig: boolean;
  /**
   * The Jest configs it names (testRunner.args.config, without a leading ./), whatever their names: one of them
   * that exists is the app's own e2e Jest config (e2e/jest.config.json, say), which init must not double.
   */
  readonly namedJestConfigs: readonly string[];
  /**
   * Its text names tracehop's web driver and the web.headless configuration: the entries init prints were added
   * (it is code init does not run, so names count, as for the Jest config), and a second run prints them no more.
   */
  readonly namesWebEntries: boolean;
}

/** What a Detox config's text names once init's entries are in it. */
const WEB_ENTRY_NAMES = ['tracehop/detox/web-driver', 'web.headless'];
const namesWebEntries = (text: string): boolean => WEB_ENTRY_NAMES.every((name) => text.includes(name));

/** `value`'s member at `path`, when each step is an object. */
function member(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * Reads the Detox config Detox would load: its facts, or why Detox could not load it (JSON that does not parse,
 * JavaScript that does not compile). JavaScript is compiled as the CommonJS module Detox require()s (a
 * top-level return is legal), not run: a syntax error is found without running the app's code, and the Jest
 * configs it names are read from its text (`config: 'e2e/jest.config.js'`, a leading ./ too).
 */
export function readDetoxConfig(
  cwd: string,
  file: string,
  manifest: { detox?: unknown },
  jestConfig: string,
): { ok: true; value: DetoxConfig } | { ok: false; cause: string } {
  const jsonConfig = (config: unknown): DetoxConfig => {
    const named = member(config, 'testRunner', 'args', 'config');
    const namedJestConfigs = typeof named === 'string' ? [named.replace(/^\.\//, '')] : [];
    return {
      file,
      json: true,
      runsJestConfig: namedJestConfigs.includes(jestConfig),
      namedJestConfigs,
      namesWebEntries: namesWebEntries(JSON.stringify(config) ?? ''),
    };
  };
  if (file === 'package.json') return { ok: true, value: jsonConfig(manifest.detox) };
  const path = join(cwd, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { ok: false, cause: errorMessage(error) };
  }
  if (!/\.c?js$/.test(file)) {
    try {
      return { ok: true, value: jsonConfig(JSON.parse(text)) };
    } catch (error) {
      return { ok: false, cause: notJsonCause(text, errorMessage(error)) };
    }
  }
  try {
    compileFunction(text, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: path });
  } catch (error) {
    return { ok: false, cause: `it is not valid JavaScript (${syntaxErrorPlace(error, path)}${errorMessage(error)})` };
  }
  const namedJestConfigs = [...text.matchAll(/\bconfig['"]?\s*:\s*(['"`])(?:\.\/)?([^'"`\n]+)\1/g)].map(
    (match) => match[2] ?? '',
  );
  return {
    ok: true,
    value: {
      file,
      json: false,
      runsJestConfig: namedJestConfigs.includes(jestConfig),
      namedJestConfigs,
      namesWebEntries: namesWebEntries(text),
    },
  };
}

/**
 * "line 2, column 7: " of a SyntaxError from compiling `path`, read from the stack V8 writes for it (the file and
 * line, the line's text, a caret under the column); "" when the stack does not say.
 */
function syntaxErrorPlace(error: unknown, path: string): string {
  // Not `instanceof Error`: under Jest the error may come from another realm.
  const stack = typeof error === 'object' && error !== null && 'stack' in error ? String(error.stack) : '';
  const lines = stack.split('\n');
  const first = lines[0] ?? '';
  if (!first.startsWith(`${path}:`)) return '';
  const line = Number(first.slice(path.length + 1));
  if (!Number.isInteger(line) || line < 1) return '';
  const caret = lines[2] !== undefined && /^\s*\^/.test(lines[2]) ? lines[2].indexOf('^') : -1;
  return caret >= 0 ? `line ${line}, column ${caret + 1}: ` : `line ${line}: `;
}
