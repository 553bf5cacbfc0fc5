import NodeModule from 'node:module';
import type * as MswTypes from 'msw';
import { failure, TracehopError } from '../../internal/messages';
import { errorMessage } from '../../internal/result';

/**
 * msw, loaded by Node's own module loader rather than by whoever is requiring us.
 *
 * Why: msw 2.15 requires ESM-only packages (rettime, ...). Node >= 20.19 loads them through require(esm), but
 * Jest's module runtime cannot before Node 24.9 ("Must use import to load ES Module"), and inside a test it
 * replaces `require`, `module.createRequire` and even `process.getBuiltinModule('module')` with its own. A
 * `Module` instance's `require` is still Node's, in Jest and outside it.
 *
 * Checked (2026-11, Node 20.20, Jest 30): a user project that installs the packed tracehop and calls
 * `startBackend` from its own Jest suites passes with babel-jest (plain CJS) and with ts-jest, also after
 * `jest.resetModules()`; the same project's bare `require('msw')` fails. Alternatives are worse for users:
 * transformIgnorePatterns for msw's dependencies has to be repeated in every user's config, and resolving
 * through Jest's resolver picks the environment's export conditions (a browser build under jsdom).
 * test/backend/user-jest.test.ts keeps this true. Limits: the backend needs Node's fetch globals, so
 * suites must run in testEnvironment "node" (Detox's environment is); msw is one instance outside Jest's
 * registry, so `jest.mock('msw')` does not reach it.
 */
function nodeRequire(id: string): unknown {
  const nodeModulePaths = (NodeModule as unknown as { _nodeModulePaths?: (from: string) => string[] })._nodeModulePaths;
  // Outside Jest the plain require already is Node's; the private helper is only needed to escape Jest.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above: Node's own require, on purpose
  if (typeof nodeModulePaths !== 'function') return require(id);
  const loader = new NodeModule(__filename);
  loader.filename = __filename;
  loader.paths = nodeModulePaths(__dirname);
  return loader.require(id);
}

function loadMsw(): typeof MswTypes {
  try {
    return nodeRequire('msw') as typeof MswTypes;
  } catch (error) {
    const cause = errorMessage(error);
    throw new TracehopError(
      failure(
        'load msw for the mock backend',
        cause,
        "Use Node >= 20.19 (it loads msw's ESM dependencies) and install msw 2 next to tracehop.",
      ),
    );
  }
}

const msw = loadMsw();

export const { http, HttpHandler, HttpResponse, getResponse } = msw;
export type HttpHandler = MswTypes.HttpHandler;
