/**
 * Whether a require failed because `id` itself cannot be found (Node's or Jest's "Cannot find module '<id>'"),
 * not because a module that `id` requires in turn is missing: only the first is "the package is not
 * installed"; the second is a broken install of that package, and its own error says which module.
 */
export function isMissingModule(error: unknown, id: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === 'MODULE_NOT_FOUND' && typeof message === 'string' && message.startsWith(`Cannot find module '${id}'`);
}
