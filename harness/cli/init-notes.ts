/** What `tracehop init` prints after its plan: what to add to the files it leaves alone, and what the app lacks. */
import { detoxConfigLabel } from './init-detox-config';
import { webEntriesToAdd } from './init-detox-entries';
import { initPaths, type InitPaths, type ProjectFacts } from './init-facts';
import { jestEntriesLacking } from './init-jest-entries';

/** What the app's own e2e Jest config lacks for tracehop (init never edits it); nothing when it names it all. */
function jestConfigEntries(facts: ProjectFacts, paths: InitPaths): string[] {
  const lacking = jestEntriesLacking(facts.typescript, paths, facts.jestConfigText);
  if (lacking.length === 0) return [];
  // The plan's "left alone" line above says already that init does not touch it. A CommonJS .js config in a
  // "type": "module" package is named by the .cjs name commonJsConfigs told it to take.
  const name = (facts.commonJsConfigs ?? []).includes(paths.jestConfig)
    ? paths.jestConfig.replace(/\.js$/, '.cjs')
    : paths.jestConfig;
  return [`${name} is yours: make sure it holds`, ...lacking, ''];
}

const LAUNCH_ARGS = [
  'Your app must read these launch arguments (Detox launchArgs; query parameters of the page on web):',
  '  tracehopBackendUrl    the mock api-gateway: send the journey requests there',
  '  tracehopOtlpUrl       OTLP/HTTP traces endpoint: export your spans there, promptly in test builds',
  '  tracehopAnalyticsUrl  the third-party analytics service, if your app sends analytics',
  'and name each journey\'s root span after the journey (or tag it app.journey), with service.name "mobile-app".',
];

/**
 * How to get a Detox config. `npx detox init` writes .detoxrc.js and e2e/ (its Jest config and a starter spec),
 * and stops with "Failed to create e2e folder, because it already exists" when e2e/ is there: before init
 * writes e2e/ (--dry-run) it is the way, after it the config is written by hand.
 */
function noDetoxConfig(facts: ProjectFacts, paths: InitPaths): string[] {
  if (facts.e2eFolder !== true)
    return [
      'There is no Detox config: run npx detox init first (it writes .detoxrc.js and e2e/, and stops if e2e/ is there), then tracehop init: it prints what to add to them.',
      '',
    ];
  return [
    `There is no Detox config, and npx detox init stops when e2e/ is there: write ${paths.detoxConfig} yourself, with your app's apps, devices and configurations (npx detox init run in an empty folder writes examples):`,
    '  /** @type {Detox.DetoxConfig} */',
    '  module.exports = {',
    `    testRunner: { args: { $0: 'jest', config: '${paths.jestConfig}' }, jest: { setupTimeout: 120000 } },`,
    '    apps: {},',
    '    devices: {},',
    '    configurations: {},',
    '  };',
    '',
  ];
}

/** Each CommonJS .js config in a "type": "module" package: rename it .cjs (and point Detox at a renamed Jest config). */
function commonJsConfigs(facts: ProjectFacts, paths: InitPaths): string[] {
  return (facts.commonJsConfigs ?? []).flatMap((file) => {
    const renamed = file.replace(/\.js$/, '.cjs');
    const pointAt = file === paths.jestConfig ? `, and point testRunner.args.config at ${renamed}` : '';
    return [
      `${file} is CommonJS (module.exports), which Detox and Jest cannot load here: this package is "type": "module", where Node loads a .js file as an ES module. Rename it to ${renamed}${pointAt}.`,
      '',
    ];
  });
}

/** What to add to the app's Detox config, or how to get one; nothing when init writes it or it holds it all. */
function detoxConfigNotes(facts: ProjectFacts, paths: InitPaths): string[] {
  if (facts.detoxConfig === undefined && facts.webBuild !== undefined) return [];
  if (facts.detoxConfig === undefined) return noDetoxConfig(facts, paths);
  const { file, json, runsJestConfig } = facts.detoxConfig;
  // A CommonJS .js config in a "type": "module" package is named by the .cjs name commonJsConfigs told it to take.
  const label = (facts.commonJsConfigs ?? []).includes(file) ? file.replace(/\.js$/, '.cjs') : detoxConfigLabel(file);
  const pointAt = runsJestConfig ? [] : [`Point testRunner.args.config in ${label} at ${paths.jestConfig}.`];
  if (facts.webBuild === undefined || facts.detoxConfig.namesWebEntries)
    return pointAt.length === 0 ? [] : [...pointAt, ''];
  return [
    `Add these entries to ${label} (tracehop does not edit it), each inside its block beside your own${json ? ', with a comma between entries' : ''} (write a block it lacks):`,
    ...webEntriesToAdd(facts.name, facts.webBuild, json),
    ...pointAt,
    '',
  ];
}

/** The web app's build and binaryPath name a script the app lacks: what to add, or what to change instead. */
function missingWebScript(facts: ProjectFacts, paths: InitPaths): string[] {
  if (facts.webScriptMissing !== true) return [];
  const config = facts.detoxConfig === undefined ? paths.detoxConfig : detoxConfigLabel(facts.detoxConfig.file);
  return [
    `package.json has no build:web script (react-native-web makes this a web build), which apps.web in ${config} runs: add one that writes web-dist/index.html, or set that app's build and binaryPath to your web build's command and its index.html.`,
    '',
  ];
}

/**
 * A TypeScript app whose spec is JavaScript because ts-jest (or TypeScript) is missing: what to install, and
 * to let init write the TypeScript spec and ts-jest's transform in place of the files it wrote.
 */
function javaScriptSpecInTypeScriptApp(facts: ProjectFacts, paths: InitPaths): string[] {
  const missing = facts.missingForTypeScript;
  if (missing === undefined || missing.length === 0) return [];
  const install = missing.map((name) => (name === 'typescript' ? 'typescript@5.9' : name));
  return [
    `There is a tsconfig.json, but ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not installed, so the spec is JavaScript (${paths.spec}). For a TypeScript spec: ${facts.installDev ?? 'npm install --save-dev'} ${install.join(' ')}, delete ${paths.spec} and ${paths.jestConfig} if tracehop init wrote them, and run tracehop init again: it writes ${paths.spec.replace(/\.c?js$/, '.ts')} and ts-jest's transform in the Jest config.`,
    '',
  ];
}

/** The notes init prints after its plan, for the facts found. */
export function initNotes(facts: ProjectFacts): string[] {
  const paths = initPaths(facts);
  const notes = [
    ...commonJsConfigs(facts, paths),
    ...detoxConfigNotes(facts, paths),
    ...missingWebScript(facts, paths),
    ...javaScriptSpecInTypeScriptApp(facts, paths),
  ];
  if (facts.jestConfig !== undefined) notes.push(...jestConfigEntries(facts, paths));
  const major = facts.typescript ? facts.typescriptMajor : undefined;
  if (major !== undefined && major >= 7)
    notes.push(
      `TypeScript ${major} has no JavaScript API, which ts-jest needs to compile the spec: ${facts.installDev ?? 'npm install --save-dev'} typescript@5.9`,
      '',
    );
  if (facts.typescript && facts.jestTypes === false)
    notes.push(
      `The TypeScript spec needs Jest's types: ${facts.installDev ?? 'npm install --save-dev'} @types/jest${facts.jestMajor === undefined ? '' : `@${facts.jestMajor}`}`,
      '',
    );
  if (facts.typescript && facts.tsconfig === false)
    notes.push(
      'There is no tsconfig.json: ts-jest compiles the spec with one. A minimal one:',
      '  { "compilerOptions": { "strict": true, "module": "commonjs", "target": "es2022", "esModuleInterop": true, "skipLibCheck": true, "types": ["jest"] }, "include": ["e2e"] }',
      '',
    );
  notes.push(...LAUNCH_ARGS, '');
  const configuration = facts.webBuild === undefined ? '<your configuration>' : 'web.headless';
  notes.push(`Then run: npx detox build -c ${configuration} && npx detox test -c ${configuration}`);
  return notes;
}
