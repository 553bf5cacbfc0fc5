import { decodeTracestate, isLevel1TracestateKey, level1KeyProblem } from './index';

describe('level1KeyProblem: keys W3C Trace Context Level 2 accepts and Level 1 (OpenTelemetry Go, JS) rejects', () => {
  const longTenant = `t${'0'.repeat(241)}`;
  it.each<[string, string, string]>([
    ['a digit first', '1vendor', 'it starts with a digit but has no "@"'],
    ['two "@"', 'a@b@c', 'it has more than one "@"'],
    [
      'a 242-character tenant',
      `${longTenant}@vendor`,
      'the tenant-id before "@" has 242 characters, Level 1 allows 241',
    ],
    ['no system', 'tenant@', 'it has nothing after "@"'],
    ['a system with a digit first', 'tenant@1vendor', 'the system-id after "@" does not start with a lowercase letter'],
    [
      'a 19-character system',
      'tenant@averylongsystemname',
      'the system-id after "@" has 19 characters, Level 1 allows 14',
    ],
  ])('%s: %s', (_label, key, problem) => {
    expect(decodeTracestate(`${key}=x`).ok).toBe(true);
    expect([isLevel1TracestateKey(key), level1KeyProblem(key)]).toEqual([false, problem]);
  });

  it.each<[string, string]>([
    ['a simple key', 'vendor'],
    ['every key character', 'a_b-c*d/e'],
    ['a tenant with a digit first', '1tenant@vendor'],
    ['the longest tenant and system', `t${'0'.repeat(240)}@abcdefghijklmn`],
    ['a 256-character simple key', `a${'b'.repeat(255)}`],
  ])('accepts %s', (_label, key) => {
    expect([isLevel1TracestateKey(key), level1KeyProblem(key)]).toEqual([true, undefined]);
  });

  it.each<[string, string]>([
    ['uppercase', 'Rate'],
    ['empty', ''],
    ['no tenant', '@vendor'],
    ['257 characters', `1${'0'.repeat(256)}`],
  ])('names no Level 1 rule for a key no Level accepts (%s)', (_label, key) => {
    expect(level1KeyProblem(key)).toBe('it breaks the Level 1 key grammar');
  });
});
