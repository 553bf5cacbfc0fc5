/** The platforms a journey runs on: a Detox device of type ios.*, android.* or tracehop's web driver. */
export const PLATFORMS = ['ios', 'android', 'web'] as const;

/** A platform of {@link PLATFORMS}. */
export type Platform = (typeof PLATFORMS)[number];

/** Whether `value` is one of {@link PLATFORMS}. */
export const isPlatform = (value: unknown): value is Platform =>
  typeof value === 'string' && (PLATFORMS as readonly string[]).includes(value);
