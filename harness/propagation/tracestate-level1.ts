/**
 * The W3C Trace Context Level 1 `tracestate` key grammar (https://www.w3.org/TR/trace-context-1/#key), which
 * OpenTelemetry Go and JS validate keys with. It is narrower than the Level 2 grammar tracehop decodes with,
 * so a member whose key only Level 2 accepts is dropped by such a callee (Go drops the whole header). Only
 * for explaining that; decodeTracestate keeps Level 2.
 */

// simple-key = lcalpha 0*255( lcalpha / DIGIT / "_" / "-" / "*" / "/" )
// multi-tenant-key = tenant-id "@" system-id
// tenant-id = ( lcalpha / DIGIT ) 0*240( lcalpha / DIGIT / "_" / "-" / "*" / "/" )
// system-id = lcalpha 0*13( lcalpha / DIGIT / "_" / "-" / "*" / "/" )
const SIMPLE_KEY = /^[a-z][_0-9a-z\-*/]{0,255}$/;
const TENANT_ID = /^[a-z0-9][_0-9a-z\-*/]{0,240}$/;
const SYSTEM_ID = /^[a-z][_0-9a-z\-*/]{0,13}$/;
const KEY_CHARS = /^[_0-9a-z\-*/]+$/;

/** True when `key` follows the Level 1 key grammar: a simple-key, or tenant-id "@" system-id. */
export function isLevel1TracestateKey(key: string): boolean {
  const at = key.indexOf('@');
  if (at < 0) return SIMPLE_KEY.test(key);
  return TENANT_ID.test(key.slice(0, at)) && SYSTEM_ID.test(key.slice(at + 1));
}

/**
 * What in `key` Level 1 rejects ("it starts with a digit but has no "@""), or undefined when Level 1 accepts
 * it. Worded for keys that Level 2 accepts; any other key gets "it breaks the Level 1 key grammar".
 */
export function level1KeyProblem(key: string): string | undefined {
  if (isLevel1TracestateKey(key)) return undefined;
  const at = key.indexOf('@');
  const tenant = at < 0 ? key : key.slice(0, at);
  const system = at < 0 ? undefined : key.slice(at + 1);
  if (!KEY_CHARS.test(tenant) || !/^[a-z0-9]/.test(tenant)) return 'it breaks the Level 1 key grammar';
  if (system === undefined) {
    return /^[0-9]/.test(key) && key.length <= 256
      ? 'it starts with a digit but has no "@"'
      : 'it breaks the Level 1 key grammar';
  }
  if (system.includes('@')) return 'it has more than one "@"';
  if (tenant.length > 241) return `the tenant-id before "@" has ${tenant.length} characters, Level 1 allows 241`;
  if (system === '') return 'it has nothing after "@"';
  if (!KEY_CHARS.test(system)) return 'it breaks the Level 1 key grammar';
  if (!/^[a-z]/.test(system)) return 'the system-id after "@" does not start with a lowercase letter';
  return `the system-id after "@" has ${system.length} characters, Level 1 allows 14`;
}
