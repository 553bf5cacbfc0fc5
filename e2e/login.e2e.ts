import { by, device, element, expect, waitFor } from 'detox';
import { backend } from './support/backend';

describe('login journey: app -> api-gateway -> auth-service', () => {
  beforeAll(async () => {
    await device.launchApp({ newInstance: true, delete: true });
  });

  it('signs in', async () => {
    await expect(element(by.id('login-screen'))).toBeVisible();
    await element(by.id('login-username')).typeText('ada');
    await element(by.id('login-password')).typeText('secret');
    await element(by.id('login-submit')).tap();
    await waitFor(element(by.id('search-screen'))).toBeVisible().withTimeout(10000);
    await waitFor(element(by.id('trace-flushed'))).toHaveText('login 1').withTimeout(10000);
    console.log(backend().store.spans().map((s) => `${s.service} ${s.kind} ${s.name} ${s.traceId.slice(0, 8)}`).join('\n'));
  });
});
