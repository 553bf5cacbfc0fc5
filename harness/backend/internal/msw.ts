import NodeModule from 'node:module';
import type * as MswTypes from 'msw';

/**
 * msw, loaded by Node's own module loader. msw 2.15 depends on ESM-only packages: Node >= 20.19 loads them
 * through require(esm), but Jest's module runtime cannot, and it replaces `require` and
 * `module.createRequire` inside tests, so every suite importing the backend failed. A `Module` instance's
 * `require` is still Node's, in Jest and outside it. Types come from msw itself.
 */
function nodeRequire(id: string): unknown {
  const loader = new NodeModule(__filename);
  loader.filename = __filename;
  loader.paths = (NodeModule as unknown as { _nodeModulePaths(from: string): string[] })._nodeModulePaths(__dirname);
  return loader.require(id);
}

const msw = nodeRequire('msw') as typeof MswTypes;

export const { http, HttpHandler, HttpResponse, getResponse } = msw;
export type HttpHandler = MswTypes.HttpHandler;
