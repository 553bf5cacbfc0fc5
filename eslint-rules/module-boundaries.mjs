/**
 * ESLint rule `tracehop/module-boundaries`: the module boundaries of harness/ (docs/ARCHITECTURE.md).
 *
 * - A module is a folder under harness/ with an index.ts (its barrel): harness/model, harness/verify,
 *   harness/verify/capture, harness/detox/web-driver, ... A file outside a module imports it only through the
 *   folder itself (`../model`), never a file inside it (`../model/span`).
 * - An `internal/` folder is private to the folder that holds it: harness/backend/internal/* is for
 *   harness/backend/** only; harness/internal/* is for harness/** only.
 * - `test-support/` folders hold fixtures for tests: only tests (*.test.ts, test/**, other test-support
 *   files) may import them, and they may import them directly.
 *
 * The allow-list (option `allow`) names the few deep imports we keep on purpose, each with its reason.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.js', '.mjs', '.cjs'];

/** The file or folder a relative specifier names, as an absolute path without extension guessing beyond ours. */
function resolveTarget(fromFile, specifier) {
  const base = path.resolve(path.dirname(fromFile), specifier);
  if (isFile(base)) return { file: base, folder: null };
  for (const extension of SOURCE_EXTENSIONS)
    if (isFile(base + extension)) return { file: base + extension, folder: null };
  if (isDirectory(base)) return { file: null, folder: base };
  return null;
}

function isFile(candidate) {
  try {
    return fs.statSync(candidate).isFile();
  } catch {
    return false;
  }
}

function isDirectory(candidate) {
  try {
    return fs.statSync(candidate).isDirectory();
  } catch {
    return false;
  }
}

function hasBarrel(folder) {
  return isFile(path.join(folder, 'index.ts'));
}

/** The nearest folder at or above `folder` (and inside harness/) that has a barrel. */
function moduleOf(folder, harnessRoot) {
  let current = folder;
  while (current.startsWith(harnessRoot)) {
    if (hasBarrel(current)) return current;
    if (current === harnessRoot) return null;
    current = path.dirname(current);
  }
  return null;
}

function isInside(file, folder) {
  const relative = path.relative(folder, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function isTestFile(file, root) {
  const relative = path.relative(root, file).split(path.sep).join('/');
  return /\.test\.tsx?$/.test(relative) || relative.startsWith('test/') || relative.split('/').includes('test-support');
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Module barrels, private internal/ folders and test-only test-support/ folders in harness/' },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          allow: {
            type: 'array',
            items: {
              type: 'object',
              properties: { from: { type: 'string' }, to: { type: 'string' }, reason: { type: 'string' } },
              required: ['from', 'to', 'reason'],
              additionalProperties: false,
            },
          },
        },
        required: ['root'],
        additionalProperties: false,
      },
    ],
    messages: {
      deep: 'Import {{module}} through its barrel ("{{barrel}}"), not "{{specifier}}" (docs/ARCHITECTURE.md).',
      internal: '"{{specifier}}" is private to {{owner}}/ (an internal/ folder); export what you need from its barrel.',
      testSupport: '"{{specifier}}" is a test-support file; only tests may import it.',
    },
  },
  create(context) {
    const options = context.options[0];
    const root = path.resolve(options.root);
    const harnessRoot = path.join(root, 'harness');
    const allow = options.allow ?? [];
    const filename = context.filename;
    const fromRelative = path.relative(root, filename).split(path.sep).join('/');

    function check(node, specifier) {
      if (typeof specifier !== 'string' || !specifier.startsWith('.')) return;
      const target = resolveTarget(filename, specifier);
      if (!target) return;
      const targetPath = target.file ?? target.folder;
      if (!isInside(targetPath, harnessRoot) && targetPath !== harnessRoot) return;
      const toRelative = path.relative(root, targetPath).split(path.sep).join('/');
      if (allow.some((entry) => entry.from === fromRelative && entry.to === toRelative.replace(/\.tsx?$/, ''))) return;

      const segments = path.relative(harnessRoot, targetPath).split(path.sep);
      // internal/: private to the folder holding it
      const internalAt = segments.indexOf('internal');
      if (internalAt !== -1) {
        const owner = path.join(harnessRoot, ...segments.slice(0, internalAt));
        if (!isInside(filename, owner)) {
          context.report({
            node,
            messageId: 'internal',
            data: { specifier, owner: path.relative(root, owner).split(path.sep).join('/') },
          });
          return;
        }
      }
      // test-support/: tests only, imported directly
      if (segments.includes('test-support')) {
        if (!isTestFile(filename, root)) context.report({ node, messageId: 'testSupport', data: { specifier } });
        return;
      }
      // barrels
      const targetFolder = target.folder ?? path.dirname(target.file);
      const module = moduleOf(targetFolder, harnessRoot);
      if (!module || isInside(filename, module)) return;
      const namesBarrel =
        (target.folder !== null && target.folder === module) ||
        (target.file !== null && target.file === path.join(module, 'index.ts'));
      if (namesBarrel) return;
      let barrel = path.relative(path.dirname(filename), module).split(path.sep).join('/');
      if (!barrel.startsWith('.')) barrel = `./${barrel}`;
      context.report({
        node,
        messageId: 'deep',
        data: { module: path.relative(root, module).split(path.sep).join('/'), barrel, specifier },
      });
    }

    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
      CallExpression: (node) => {
        if (
          node.callee.type === 'Identifier' &&
          node.callee.name === 'require' &&
          node.arguments.length === 1 &&
          node.arguments[0].type === 'Literal'
        )
          check(node.arguments[0], node.arguments[0].value);
      },
    };
  },
};

export default { rules: { 'module-boundaries': rule } };
