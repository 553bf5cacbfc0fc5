import type { Locator, Page } from 'playwright-core';

/** A Detox matcher (`by.id`, `by.text`, `by.label`) translated to a Playwright locator. */
export interface WebMatcher {
  /** How the matcher reads in messages, e.g. `by.id("login-submit")`. */
  readonly description: string;
  locate(page: Page): Locator;
}

/** `by` for the web: testIDs are `data-testid` attributes in react-native-web's DOM. */
export const webBy = {
  /** The element whose testID (`data-testid`) is exactly `id`. */
  id(id: string): WebMatcher {
    return { description: `by.id(${JSON.stringify(id)})`, locate: (page) => page.getByTestId(id) };
  },
  /** The element whose whole text is exactly `text`. */
  text(text: string): WebMatcher {
    return { description: `by.text(${JSON.stringify(text)})`, locate: (page) => page.getByText(text, { exact: true }) };
  },
  /** The element whose accessibility label (`aria-label`) is exactly `label`. */
  label(label: string): WebMatcher {
    return {
      description: `by.label(${JSON.stringify(label)})`,
      locate: (page) => page.getByLabel(label, { exact: true }),
    };
  },
} as const;

/** Narrows a matcher to the `index`-th match (0-based), as Detox's `atIndex`. */
export function atIndex(matcher: WebMatcher, index: number): WebMatcher {
  return { description: `${matcher.description}.atIndex(${index})`, locate: (page) => matcher.locate(page).nth(index) };
}
