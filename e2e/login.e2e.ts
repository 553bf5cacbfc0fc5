import { device } from 'detox';
import { journey } from '../harness/detox';
import { signIn } from './support/steps';

describe('login journey: app -> api-gateway -> auth-service', () => {
  beforeAll(async () => {
    await device.launchApp({ newInstance: true, delete: true });
  });

  it('signs in within one trace from the app to the auth service', () => journey('login', () => signIn()));
});
