import type { Locator, Page } from 'playwright-core';
import { failure, TracehopError } from '../../internal/messages';
import { causeOf } from './internal/errors';
import { atIndex, type WebMatcher } from './matchers';

/** Where the driver's page and default timeout come from (the runtime driver, resolved lazily). */
export interface PageSource {
  page(): Page;
  readonly timeoutMs: number;
}

export type ScrollDirection = 'up' | 'down' | 'left' | 'right';
export type ScrollEdge = 'top' | 'bottom' | 'left' | 'right';

const ACTION_HINT = 'Check that the element is rendered, visible and enabled at this point of the journey.';

/**
 * Runs in the page: scrolls the element itself when it scrolls, else its first scrollable descendant (an
 * RN-web ScrollView), and says whether anything moved (false at the edge).
 */
function scrollInPage(element: Element, move: { dx: number; dy: number; edge?: string }): boolean {
  const scrolls = (node: Element): boolean =>
    node.scrollHeight > node.clientHeight || node.scrollWidth > node.clientWidth;
  const target = scrolls(element) ? element : (Array.from(element.querySelectorAll('*')).find(scrolls) ?? element);
  const before = [target.scrollLeft, target.scrollTop];
  if (move.edge === 'top') target.scrollTop = 0;
  else if (move.edge === 'bottom') target.scrollTop = target.scrollHeight;
  else if (move.edge === 'left') target.scrollLeft = 0;
  else if (move.edge === 'right') target.scrollLeft = target.scrollWidth;
  else target.scrollTo({ left: target.scrollLeft + move.dx, top: target.scrollTop + move.dy, behavior: 'instant' });
  return target.scrollLeft !== before[0] || target.scrollTop !== before[1];
}

/** How far a scroll moves the content, per direction ("down" moves the content up, as a finger swipe up does). */
function delta(pixels: number, direction: ScrollDirection): { dx: number; dy: number } {
  return {
    dx: direction === 'right' ? pixels : direction === 'left' ? -pixels : 0,
    dy: direction === 'down' ? pixels : direction === 'up' ? -pixels : 0,
  };
}

/** `element(matcher)` for the web: Detox's actions, performed with Playwright's actionability waits. */
export class WebElement {
  constructor(
    private readonly source: PageSource,
    readonly matcher: WebMatcher,
  ) {}

  /** The `index`-th match (0-based) when the matcher finds several. */
  atIndex(index: number): WebElement {
    return new WebElement(this.source, atIndex(this.matcher, index));
  }

  /** Another element on the same page (`whileElement`'s scroll view). */
  sibling(matcher: WebMatcher): WebElement {
    return new WebElement(this.source, matcher);
  }

  /** The Playwright locator (for expectations). */
  locator(): Locator {
    return this.matcher.locate(this.source.page());
  }

  get timeoutMs(): number {
    return this.source.timeoutMs;
  }

  /** Nudges the page one frame on: the web's stand-in for Detox waiting until the app is idle. */
  async nextFrame(): Promise<void> {
    await this.source.page().evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())));
  }

  async tap(): Promise<void> {
    await this.act('tap', (locator) => locator.click());
  }

  async longPress(durationMs = 1000): Promise<void> {
    await this.act('long-press', (locator) => locator.click({ delay: durationMs }));
  }

  async multiTap(times: number): Promise<void> {
    await this.act(`tap ${times} times`, (locator) => locator.click({ clickCount: times }));
  }

  /** Types after the current text, key by key (like a keyboard), as Detox's typeText does. */
  async typeText(text: string): Promise<void> {
    await this.act(`type ${JSON.stringify(text)} into`, async (locator) => {
      await locator.click();
      await locator.press('End');
      await locator.pressSequentially(text);
    });
  }

  async replaceText(text: string): Promise<void> {
    await this.act(`replace the text of`, (locator) => locator.fill(text));
  }

  async clearText(): Promise<void> {
    await this.act('clear the text of', (locator) => locator.fill(''));
  }

  async tapReturnKey(): Promise<void> {
    await this.act('press return on', (locator) => locator.press('Enter'));
  }

  /** Scrolls by `pixels` in `direction` ("down" moves the content up, as a finger swipe up does). */
  async scroll(
    pixels: number,
    direction: ScrollDirection = 'down',
    _startPositionX?: number,
    _startPositionY?: number,
  ): Promise<void> {
    await this.scrollStep(pixels, direction);
  }

  /** One scroll by `pixels`; resolves whether the content moved (false at the edge). */
  async scrollStep(pixels: number, direction: ScrollDirection): Promise<boolean> {
    let moved = false;
    await this.act(`scroll ${pixels}px ${direction} in`, async (locator) => {
      moved = await locator.evaluate(scrollInPage, delta(pixels, direction));
    });
    return moved;
  }

  async scrollTo(edge: ScrollEdge): Promise<void> {
    await this.act(`scroll to the ${edge} of`, (locator) => locator.evaluate(scrollInPage, { dx: 0, dy: 0, edge }));
  }

  private async act(action: string, run: (locator: Locator) => Promise<unknown>): Promise<void> {
    try {
      await run(this.locator());
    } catch (error) {
      if (error instanceof TracehopError) throw error;
      throw new TracehopError(failure(`${action} ${this.matcher.description}`, causeOf(error), ACTION_HINT));
    }
  }
}
