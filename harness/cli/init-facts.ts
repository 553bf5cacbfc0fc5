/** What `tracehop init` found in an app repository: the facts its files and notes are made from. */

/** What init found in the app repository. */
export interface ProjectFacts {
  /** package.json `name`, the first journey's owner. */
  readonly name: string;
  /** TypeScript and ts-jest are installed: the spec is TypeScript. */
  readonly typescript: boolean;
  /** The Detox config Detox would load, if any: a file name or package.json (init never edits it). */
  readonly detoxConfig?: string;
  /** The npm script that builds the web build, when the app has one. */
  readonly webBuild?: string;
  /** An e2e/jest.config.js is already there (init leaves it alone and prints what it must hold). */
  readonly jestConfig?: boolean;
  /** TypeScript specs only: what the app still lacks for ts-jest to compile them. */
  readonly tsconfig?: boolean;
  readonly jestTypes?: boolean;
  /** The installed TypeScript's major version, when known (ts-jest 29 needs one below 7). */
  readonly typescriptMajor?: number | undefined;
  /** The installed Jest's major version, when known: @types/jest must match it (npm would pick the newest). */
  readonly jestMajor?: number | undefined;
}
