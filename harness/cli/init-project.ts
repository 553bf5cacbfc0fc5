/** What `tracehop init` reads of an app repository: its package.json, Detox config and installed packages. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { notJsonCause } from '../internal/json-error-offset';
import { failure } from '../internal/messages';
import { errorMessage, type Failure } from '../internal/result';
import { locateDetoxConfig, readDetoxConfig } from './init-detox-config';
import { jestConfigNames, type ProjectFacts } from './init-facts';
import { devInstallCommand } from '../internal/install-command';

/**
 * Why init cannot set up a project: no package.json, a package.json or Detox config it cannot parse, or no
 * Detox installed.
 */
type ProjectReason = 'no-package-json' | 'unreadable-config' | 'no-detox';

export type Facts = { ok: true; value: ProjectFacts } | Failure<ProjectReason>;

function resolvable(id: string, cwd: string): boolean {
  try {
    createRequire(join(cwd, 'package.json')).resolve(id);
    return true;
  } catch {
    return false;
  }
}

/** The major version of a package the app resolves (`typescript`, `jest`), or undefined when it gives none. */
function installedMajor(name: string, cwd: string): number | undefined {
  try {
    const file = createRequire(join(cwd, 'package.json')).resolve(`${name}/package.json`);
    const version: unknown = (JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version;
    const major = typeof version === 'string' ? /^(\d+)\./.exec(version)?.[1] : undefined;
    return major === undefined ? undefined : Number(major);
  } catch {
    return undefined;
  }
}

/** A file's text, or undefined when it cannot be read (a folder, no permission). */
function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function folderInTheWay(cwd: string, path: string): string {
  return failure(
    `set up tracehop in "${cwd}"`,
    `"${join(cwd, path)}" is a folder, where init reads or writes a file`,
    'Move or rename that folder, then run tracehop init again.',
  );
}

export function fileInTheWay(cwd: string, path: string): string {
  return failure(
    `set up tracehop in "${cwd}"`,
    `"${join(cwd, path)}" is a file, where init writes a folder`,
    'Move or rename that file, then run tracehop init again.',
  );
}

export function isFile(path: string): boolean {
  try {
    return !statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The .js configs here written as CommonJS (module.exports) in a "type": "module" package, where Node loads a .js
 * file as an ES module and `module` is not defined: `npx detox init` writes .detoxrc.js and e2e/jest.config.js so.
 */
function commonJsInModulePackage(cwd: string, paths: readonly (string | undefined)[]): string[] {
  return paths.filter((path): path is string => {
    if (path === undefined || !path.endsWith('.js')) return false;
    try {
      return /\bmodule\.exports\b|\bexports\.[\w$]+\s*=/.test(readFileSync(join(cwd, path), 'utf8'));
    } catch {
      return false;
    }
  });
}

/** The dependencies that make a package an app init can set up, whatever else its package.json holds. */
const APP_DEPENDENCIES = ['react-native', 'react-native-web', 'expo'];

/** The scripts that build a web app, which init's web config runs. */
const WEB_SCRIPTS = ['build:web', 'web:build'];

/**
 * Why a monorepo's root is no place for init: its package.json declares workspaces (npm's and Yarn's list, or
 * Yarn's `{ packages }`) and names no app dependency, no web build script and no Detox config, so the app is
 * one of the workspaces. Run there, init would set up e2e/ in the root, where Detox would build no app (npm
 * installs the workspaces' packages in the root's node_modules, so Detox is found there all the same).
 */
function workspacesRootFailure(
  cwd: string,
  pkg: { workspaces?: unknown; dependencies?: unknown; devDependencies?: unknown; detox?: unknown; scripts?: unknown },
): { cause: string; hint: string } | undefined {
  const declared = Array.isArray(pkg.workspaces)
    ? pkg.workspaces
    : typeof pkg.workspaces === 'object' && pkg.workspaces !== null
      ? (pkg.workspaces as { packages?: unknown }).packages
      : undefined;
  if (!Array.isArray(declared) || declared.length === 0) return undefined;
  const deps = { ...(pkg.dependencies as object | undefined), ...(pkg.devDependencies as object | undefined) };
  const scripts = typeof pkg.scripts === 'object' && pkg.scripts !== null ? pkg.scripts : {};
  const webScript = WEB_SCRIPTS.some((name) => name in scripts);
  if (APP_DEPENDENCIES.some((name) => name in deps) || webScript || locateDetoxConfig(cwd, pkg) !== undefined)
    return undefined;
  const listed = declared.map((pattern) => JSON.stringify(String(pattern))).join(', ');
  return {
    cause: `its package.json declares workspaces (${listed}) and names no react-native, react-native-web or expo dependency, no build:web script and no Detox config: it is a monorepo's root, not an app`,
    hint: "Run tracehop init in your app's folder, the workspace whose package.json names react-native (npx finds the tracehop installed here from there too).",
  };
}

/** What init needs to know of the app repository, or why it cannot set it up. */
export function readProject(cwd: string): Facts {
  const action = `set up tracehop in "${cwd}"`;
  const manifest = join(cwd, 'package.json');
  if (isFolder(manifest))
    return { ok: false, reason: 'unreadable-config', message: folderInTheWay(cwd, 'package.json') };
  if (!existsSync(manifest)) {
    return {
      ok: false,
      reason: 'no-package-json',
      message: failure(action, 'there is no package.json here', "Run tracehop init in your app's package root."),
    };
  }
  let pkg: {
    name?: unknown;
    type?: unknown;
    scripts?: unknown;
    dependencies?: unknown;
    devDependencies?: unknown;
    detox?: unknown;
    workspaces?: unknown;
    packageManager?: unknown;
  };
  const unreadable = (cause: string): Facts => ({
    ok: false,
    reason: 'unreadable-config',
    message: failure(`read "${manifest}"`, cause, 'Fix it, then run tracehop init again.'),
  });
  let text: string;
  try {
    text = readFileSync(manifest, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    return unreadable(errorMessage(error));
  }
  try {
    pkg = JSON.parse(text) as typeof pkg;
  } catch (error) {
    return unreadable(notJsonCause(text, errorMessage(error)));
  }
  if (typeof pkg !== 'object' || pkg === null || Array.isArray(pkg)) return unreadable('it is not a JSON object');
  const notApp = workspacesRootFailure(cwd, pkg);
  if (notApp !== undefined)
    return { ok: false, reason: 'no-package-json', message: failure(action, notApp.cause, notApp.hint) };
  if (!resolvable('detox/package.json', cwd)) {
    return {
      ok: false,
      reason: 'no-detox',
      message: failure(
        action,
        'Detox is not installed here',
        `Run ${devInstallCommand(cwd, pkg.packageManager)} detox jest, then tracehop init again.`,
      ),
    };
  }
  const esm = pkg.type === 'module';
  const jestConfig = jestConfigNames(esm).find((path) => existsSync(join(cwd, path)));
  const detoxConfigFile = locateDetoxConfig(cwd, pkg);
  if (detoxConfigFile !== undefined && isFolder(join(cwd, detoxConfigFile)))
    return { ok: false, reason: 'unreadable-config', message: folderInTheWay(cwd, detoxConfigFile) };
  const detoxConfig =
    detoxConfigFile === undefined
      ? undefined
      : readDetoxConfig(cwd, detoxConfigFile, pkg, jestConfig ?? jestConfigNames(esm)[0]);
  if (detoxConfigFile !== undefined && detoxConfig?.ok === false) {
    return {
      ok: false,
      reason: 'unreadable-config',
      message: failure(
        `read the Detox config "${join(cwd, detoxConfigFile)}"`,
        detoxConfig.cause,
        'Fix it, then run tracehop init again.',
      ),
    };
  }
  // Without one of init's names, a Jest config the Detox config names (e2e/jest.config.json, say) is the app's
  // own: init leaves it alone and prints what it must hold, instead of writing a second one beside it.
  const named = detoxConfig?.ok === true ? detoxConfig.value.namedJestConfigs : [];
  const appJestConfig = jestConfig ?? named.find((path) => existsSync(join(cwd, path)) && !isFolder(join(cwd, path)));
  const appJestConfigText = appJestConfig === undefined ? undefined : readText(join(cwd, appJestConfig));
  const deps = { ...(pkg.dependencies as object | undefined), ...(pkg.devDependencies as object | undefined) };
  const scripts = (typeof pkg.scripts === 'object' && pkg.scripts !== null ? pkg.scripts : {}) as Record<
    string,
    unknown
  >;
  const webScript = WEB_SCRIPTS.find((name) => typeof scripts[name] === 'string');
  const webBuild = webScript !== undefined || 'react-native-web' in deps;
  const specPackages = ['typescript', 'ts-jest'].filter((name) => !resolvable(`${name}/package.json`, cwd));
  const typescript = specPackages.length === 0;
  const tsconfig = existsSync(join(cwd, 'tsconfig.json'));
  const commonJs = esm ? commonJsInModulePackage(cwd, [detoxConfigFile, jestConfig]) : [];
  return {
    ok: true,
    value: {
      name: typeof pkg.name === 'string' && pkg.name !== '' ? pkg.name : 'app',
      installDev: devInstallCommand(cwd, pkg.packageManager),
      typescript,
      ...(esm ? { esm } : {}),
      ...(commonJs.length > 0 ? { commonJsConfigs: commonJs } : {}),
      ...(appJestConfig === undefined ? {} : { jestConfig: appJestConfig }),
      ...(appJestConfigText === undefined ? {} : { jestConfigText: appJestConfigText }),
      ...(typescript
        ? {
            tsconfig,
            jestTypes: resolvable('@types/jest/package.json', cwd),
            typescriptMajor: installedMajor('typescript', cwd),
            jestMajor: installedMajor('jest', cwd),
          }
        : tsconfig
          ? { missingForTypeScript: specPackages }
          : {}),
      ...(detoxConfig?.ok === true
        ? {
            detoxConfig: {
              ...detoxConfig.value,
              runsJestConfig:
                detoxConfig.value.runsJestConfig || (appJestConfig !== undefined && named.includes(appJestConfig)),
            },
          }
        : {}),
      ...(webBuild ? { webBuild: webScript ?? 'build:web' } : {}),
      ...(webBuild && webScript === undefined ? { webScriptMissing: true } : {}),
    },
  };
}
