/** What `tracehop init` found in an app repository: the facts its files and notes are made from. */
import type { DetoxConfig } from './init-detox-config';

/** What init found in the app repository. */
export interface ProjectFacts {
  /** package.json `name`, the first journey's owner. */
  readonly name: string;
  /** The command that adds development dependencies here (devInstallCommand); npm's when not given. */
  readonly installDev?: string;
  /** TypeScript and ts-jest are installed: the spec is TypeScript. */
  readonly typescript: boolean;
  /**
   * package.json has "type": "module": Node loads a .js file there as an ES module (Detox's require() of its
   * config and Jest's loading of its own too), so init's CommonJS files are .cjs.
   */
  readonly esm?: boolean;
  /** Configs here (.js, in a "type": "module" package) written as CommonJS, which Detox and Jest cannot load. */
  readonly commonJsConfigs?: readonly string[];
  /** The Detox config Detox would load, if any (init never edits it). */
  readonly detoxConfig?: DetoxConfig;
  /** e2e/ is there once this run ends (init writes it, unless --dry-run): `npx detox init` would stop on it. */
  readonly e2eFolder?: boolean;
  /** The npm script that builds the web build, when the app has one (build:web for react-native-web without one). */
  readonly webBuild?: string;
  /** react-native-web makes it a web build, but package.json has no build:web or web:build script. */
  readonly webScriptMissing?: boolean;
  /** The app's own e2e Jest config (one of jestConfigNames), if any: init leaves it alone and prints what it must hold. */
  readonly jestConfig?: string;
  /** That Jest config's text, when it could be read: init prints only the entries it does not name. */
  readonly jestConfigText?: string;
  /** A TypeScript app (tsconfig.json) whose spec is JavaScript: what it lacks for a TypeScript one (ts-jest, typescript). */
  readonly missingForTypeScript?: readonly string[];
  /** TypeScript specs only: what the app still lacks for ts-jest to compile them. */
  readonly tsconfig?: boolean;
  readonly jestTypes?: boolean;
  /** The installed TypeScript's major version, when known (ts-jest 29 needs one below 7). */
  readonly typescriptMajor?: number | undefined;
  /** The installed Jest's major version, when known: @types/jest must match it (npm would pick the newest). */
  readonly jestMajor?: number | undefined;
}

/** The journey init writes, and its spec's name. */
export const JOURNEY = 'login';

/** Where init's files go, and the testMatch that finds its spec. */
export interface InitPaths {
  readonly spec: string;
  /** Jest's testMatch for the spec (with rootDir '..'): it must match the spec's extension. */
  readonly specMatch: string;
  readonly jestConfig: string;
  /** The Detox config init writes for a web build without one. */
  readonly detoxConfig: string;
}

/**
 * The e2e Jest configs init takes as the app's own, the one it would write first: e2e/jest.config.cjs in a
 * "type": "module" package, where Jest would load a .js config as an ES module.
 */
export function jestConfigNames(esm: boolean): readonly [string, string] {
  return esm ? ['e2e/jest.config.cjs', 'e2e/jest.config.js'] : ['e2e/jest.config.js', 'e2e/jest.config.cjs'];
}

/**
 * init's paths. Its JavaScript is CommonJS (require, module.exports): .cjs in a "type": "module" package, which
 * Detox's require() and Jest load as CommonJS with or without --experimental-vm-modules. A TypeScript spec
 * stays .ts: Jest loads it as CommonJS, as ts-jest compiles it, in either kind of package.
 */
export function initPaths(facts: ProjectFacts): InitPaths {
  const js = facts.esm === true ? 'cjs' : 'js';
  const specExtension = facts.typescript ? 'ts' : js;
  return {
    spec: `e2e/${JOURNEY}.e2e.${specExtension}`,
    specMatch: `<rootDir>/e2e/**/*.e2e.${specExtension}`,
    jestConfig: facts.jestConfig ?? jestConfigNames(facts.esm === true)[0],
    detoxConfig: `.detoxrc.${js}`,
  };
}
