/**
 * The declarations a user's TypeScript reads expose no `any`: no explicit one, and none that tsc inferred for
 * an export without a written type (`export const x = JSON.parse(...)`), which lint does not see. Nor a
 * `#private` (what tsc writes for a class with `#` members), which an app compiling to ES5 with skipLibCheck
 * off gets TS18028 for. The declarations are emitted in memory from harness/ as `npm run build` would write
 * them (so a stale dist/ cannot hide one), then every file reachable from the package's exports is searched.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..', '..');

/** The .d.ts files `tsc -p tsconfig.build.json` would write, by absolute output path. */
function emitDeclarations(): Map<string, string> {
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.build.json'), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  if (config === undefined) throw new Error('tsconfig.build.json could not be read');
  const program = ts.createProgram(config.fileNames, { ...config.options, declaration: true, noEmit: false });
  const written = new Map<string, string>();
  program.emit(undefined, (file, text) => void written.set(resolve(file), text), undefined, true);
  return written;
}

/** The declaration files the package's `exports` name, as absolute paths. */
function exportedTypes(): string[] {
  const { exports } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    exports: Record<string, string | { types?: string }>;
  };
  return Object.values(exports).flatMap((entry) =>
    typeof entry === 'object' && entry.types !== undefined ? [resolve(ROOT, entry.types)] : [],
  );
}

/** The relative modules a declaration file imports, re-exports or names in `import('...')` types. */
function relativeImports(file: ts.SourceFile): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    const specifier =
      ts.isImportDeclaration(node) || ts.isExportDeclaration(node)
        ? node.moduleSpecifier
        : ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)
          ? node.argument.literal
          : undefined;
    if (specifier !== undefined && ts.isStringLiteral(specifier) && specifier.text.startsWith('.')) {
      found.push(specifier.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/**
 * Every node of `kind` in the declarations reachable from `entries`, as `path:line: text`, and the files read.
 */
function findInDeclarations(
  declarations: Map<string, string>,
  entries: string[],
  kind: ts.SyntaxKind,
): { files: string[]; found: string[] } {
  const pending = [...entries];
  const seen = new Set<string>();
  const found: string[] = [];
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    if (seen.has(path)) continue;
    seen.add(path);
    const text = declarations.get(path);
    if (text === undefined) throw new Error(`no declaration was emitted for ${relative(ROOT, path)}`);
    const file = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      if (node.kind === kind) {
        const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
        found.push(`${relative(ROOT, path)}:${line + 1}: ${(text.split('\n')[line] ?? '').trim()}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
    for (const specifier of relativeImports(file)) {
      const base = resolve(dirname(path), specifier);
      pending.push(declarations.has(`${base}.d.ts`) ? `${base}.d.ts` : join(base, 'index.d.ts'));
    }
  }
  return { files: [...seen].map((path) => relative(ROOT, path)).sort(), found };
}

describe('the published declarations', () => {
  let declarations: Map<string, string>;
  beforeAll(() => {
    declarations = emitDeclarations();
  });

  it('expose no any through any entry point of the package', () => {
    const { files, found } = findInDeclarations(declarations, exportedTypes(), ts.SyntaxKind.AnyKeyword);
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/harness/index.d.ts',
        'dist/harness/jest/matchers.d.ts',
        'dist/harness/backend/index.d.ts',
        'dist/harness/detox/web-driver/index.d.ts',
        'dist/harness/report/index.d.ts',
      ]),
    );
    expect(found).toEqual([]);
  });

  it('hold no #private through any entry point of the package: TS18028 in an app that compiles to ES5', () => {
    const { found } = findInDeclarations(declarations, exportedTypes(), ts.SyntaxKind.PrivateIdentifier);
    expect(found).toEqual([]);
  });
});
