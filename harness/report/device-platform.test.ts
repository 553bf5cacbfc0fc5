import { detoxPlatform, platformOfDeviceType } from './device-platform';

describe('platformOfDeviceType', () => {
  it.each([
    ['ios.simulator', 'ios'],
    ['android.emulator', 'android'],
    ['android.attached', 'android'],
    ['android.genycloud', 'android'],
    ['tracehop/detox/web-driver', 'web'],
    ['/repo/dist/harness/detox/web-driver/index.js', 'web'],
    ['/repo/harness/detox/web-driver/index.ts', 'web'],
    ['./my-driver.js', undefined],
  ])('%s -> %s', (type, platform) => {
    expect(platformOfDeviceType(type)).toBe(platform);
  });
});

describe('detoxPlatform', () => {
  const scope = (type: unknown) => ({ __detox__: { internalsApi: { config: { device: { type } } } } });

  it("reads the device type of the worker's Detox config from the test environment's global", () => {
    expect(detoxPlatform(scope('android.genycloud'))).toBe('android');
    expect(detoxPlatform(scope('ios.simulator'))).toBe('ios');
  });

  it('is undefined outside Detox, and when Detox throws before its config exists', () => {
    expect(detoxPlatform({})).toBeUndefined();
    const throwing = {
      __detox__: {
        internalsApi: {
          get config(): never {
            throw new Error('Detox worker is not installed');
          },
        },
      },
    };
    expect(detoxPlatform(throwing)).toBeUndefined();
    expect(detoxPlatform(scope(42))).toBeUndefined();
  });
});
