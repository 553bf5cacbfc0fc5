/** A TCP port we can be asked to bind: an integer from 1 to 65535 (0, "any port", is what omitting it means). */
export function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
}
