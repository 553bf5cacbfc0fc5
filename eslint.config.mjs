// ESLint flat config (npm run lint = this + prettier --check). Type-aware typescript-eslint for every
// TypeScript file; module boundaries as docs/ARCHITECTURE.md describes them.
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';
import tracehop from './eslint-rules/module-boundaries.mjs';

const root = import.meta.dirname;

/** Node's globals for the plain-JS scripts (TypeScript files get theirs from @types/node). */
const NODE_GLOBALS = Object.fromEntries(
  [
    'require',
    'module',
    'exports',
    '__dirname',
    '__filename',
    'process',
    'console',
    'Buffer',
    'URL',
    'URLSearchParams',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'clearImmediate',
    'fetch',
    'AbortController',
    'AbortSignal',
    'TextEncoder',
    'TextDecoder',
    'structuredClone',
    'queueMicrotask',
    'performance',
  ].map((name) => [name, 'readonly']),
);

/**
 * Deep imports we keep on purpose. Each names the importing file, the imported file (no extension) and why.
 */
const ALLOWED_DEEP_IMPORTS = [
  {
    from: 'harness/detox/index.ts',
    to: 'harness/detox/web-driver/browser',
    reason: 'tracehop/detox re-exports browser discovery without loading the web driver (and with it playwright-core)',
  },
  {
    from: 'e2e/support/environment.ts',
    to: 'harness/detox/environment',
    reason: 'the specs run from the sources: they take tracehop/detox/environment (its own package entry) from there',
  },
  // `tracehop check` start-up (docs/PERFORMANCE.md): the barrels would load 25 modules that check never runs.
  {
    from: 'harness/cli/check.ts',
    to: 'harness/verify/verify',
    reason: 'tracehop check needs verifySpans, not the capture checks and journey reports the verify barrel loads',
  },
  {
    from: 'harness/cli/check.ts',
    to: 'harness/verify/render-tree',
    reason: 'tracehop check needs renderTraceTree, not the capture checks and journey reports the verify barrel loads',
  },
  {
    from: 'harness/verify/lost-tracestate.ts',
    to: 'harness/propagation/tracestate',
    reason: 'the verifier needs the tracestate codec alone, not every codec the propagation barrel loads',
  },
  {
    from: 'harness/verify/lost-tracestate.ts',
    to: 'harness/propagation/tracestate-level1',
    reason: 'the verifier needs the tracestate codec alone, not every codec the propagation barrel loads',
  },
  // The formats barrel loads every reader; tracehop check loads each only for a file of its format.
  ...[
    'dump-format',
    'heap-guard',
    'json-dump-session',
    'kindless-spans',
    'read-dump-file',
    'untimed-spans',
    'zipkin-shared',
  ].map((file) => ({
    from: 'harness/cli/read-span-files.ts',
    to: `harness/model/formats/${file}`,
    reason: 'tracehop check and report load a reader only for a file of its format, not all through the barrel',
  })),
  {
    from: 'harness/cli/not-coverage.ts',
    to: 'harness/model/formats/dump-format',
    reason: 'tracehop report names a dump passed to --merge by its format, without loading every reader',
  },
  {
    from: 'harness/verify/shared-spans.ts',
    to: 'harness/model/formats/zipkin-shared',
    reason: 'the verifier joins Zipkin shared spans without loading every reader through the formats barrel',
  },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'artifacts/',
      'coverage/',
      '.tracehop-tmp/',
      'fixtures/sample-app/web-dist/',
      'fixtures/sample-app/android/',
      'fixtures/sample-app/ios/',
    ],
  },
  js.configs.recommended,
  {
    rules: {
      // A `let` read by a closure before its one assignment (a timer cleared by an earlier callback) stays `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: root },
    },
    rules: {
      // Unused names are errors, except the deliberate `_name` placeholders.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // `import type` keeps type-only edges out of the runtime graph (and out of no-cycle).
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // No `any` in what we export; inside, `unknown` and narrowing instead.
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'off',
      // Template literals of numbers and booleans read fine; objects never do.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // Node callbacks and event handlers legitimately take async functions whose promise nobody awaits.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/require-await': 'off',
      // The decoders unwind with light fault classes (no stack trace: decoding a 250k-span dump must stay
      // cheap) and catch them at their own boundary; everything else throws an Error.
      '@typescript-eslint/only-throw-error': [
        'error',
        {
          allow: [
            { from: 'file', name: 'ProtobufFault', path: 'harness/model/internal/protobuf-reader.ts' },
            { from: 'file', name: 'DecodeFault', path: 'harness/model/otlp-json.ts' },
            { from: 'file', name: 'SpanFault', path: 'harness/model/otlp-proto.ts' },
            { from: 'file', name: 'StrictFault', path: 'harness/model/otlp-proto.ts' },
            { from: 'file', name: 'JsonFault', path: 'harness/model/formats/json-fault.ts' },
          ],
        },
      ],
      // Optional peers (detox, msw) are loaded lazily with require() on purpose; each such file says why.
      '@typescript-eslint/no-require-imports': ['error', { allow: ['^detox/', '^msw'] }],
    },
  },
  {
    // Tests: Jest's `expect(mock.method)` and loose fixtures read naturally; the type-check still covers them.
    files: ['**/*.test.ts', 'test/**/*.ts', 'e2e/**/*.ts', 'harness/**/test-support/**/*.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Tests read JSON output (JSON.parse gives `any`) and load CommonJS configs (.detoxrc.js) to assert on them.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: NODE_GLOBALS },
  },
  {
    files: ['fixtures/sample-app/index.js'],
    languageOptions: { sourceType: 'module' },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: NODE_GLOBALS },
  },
  {
    // Module structure: no cycles, barrels between module folders, internal/ private.
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    plugins: { 'import-x': importX, tracehop },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.json'] })],
      // no-cycle reads each imported file itself: without a parser for TypeScript it skips every .ts file
      // and finds no cycle at all.
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs', '.cjs'],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      'tracehop/module-boundaries': ['error', { root, allow: ALLOWED_DEEP_IMPORTS }],
    },
  },
);
