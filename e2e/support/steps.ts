/** The sample app's own steps, shared by the specs: nothing here knows about traces. */
import { by, element, expect, waitFor } from 'detox';

/** How long one screen may take to appear. */
export const SCREEN_TIMEOUT_MS = 15_000;

/** Signs in on the login screen and waits for the search screen. */
export async function signIn(username = 'ada', password = 'secret'): Promise<void> {
  await expect(element(by.id('login-screen'))).toBeVisible();
  await element(by.id('login-username')).typeText(username);
  await element(by.id('login-password')).typeText(password);
  await element(by.id('login-submit')).tap();
  await waitFor(element(by.id('search-screen')))
    .toBeVisible()
    .withTimeout(SCREEN_TIMEOUT_MS);
  await expect(element(by.id('login-error'))).not.toExist();
}

/** Searches and waits for the first product. */
export async function search(query = 'coffee'): Promise<void> {
  await element(by.id('search-input')).typeText(query);
  await element(by.id('search-submit')).tap();
  await waitFor(element(by.id('product-p1-add')))
    .toBeVisible()
    .withTimeout(SCREEN_TIMEOUT_MS);
}

/** Searches, adds one product to the cart and opens the cart. */
export async function fillCart(productId = 'p1'): Promise<void> {
  await search();
  await element(by.id(`product-${productId}-add`)).tap();
  await element(by.id('go-to-cart')).tap();
  await waitFor(element(by.id('cart-screen')))
    .toBeVisible()
    .withTimeout(SCREEN_TIMEOUT_MS);
}
