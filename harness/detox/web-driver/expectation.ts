import { failure, TracehopError } from '../../internal/messages';
import type { ScrollDirection, WebElement } from './element';
import { causeOf } from './internal/errors';
import type { WebMatcher } from './matchers';

const EXPECT_HINT = "Check the failing test's screenshot in the Detox artifacts folder.";

/** Detox's default for toBeVisible(): at least 75% of the view is on screen. */
export const DEFAULT_VISIBLE_PERCENT = 75;

/** What the page shows of each element a matcher finds: its text, and how much of it is on screen. */
interface Seen {
  readonly text: string;
  /** Percent of the element's box inside the viewport and every clipping ancestor; 0 when hidden. */
  readonly visiblePercent: number;
}

/** Runs in the page: an input's value or the text content, and the on-screen share of the element's box. */
function seenInPage(elements: Element[]): Seen[] {
  return elements.map((element) => {
    const text =
      element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement
        ? element.value
        : (element.textContent ?? '');
    const box = element.getBoundingClientRect();
    const area = box.width * box.height;
    if (area === 0 || !element.checkVisibility({ visibilityProperty: true })) return { text, visiblePercent: 0 };
    let left = Math.max(box.left, 0);
    let top = Math.max(box.top, 0);
    let right = Math.min(box.right, window.innerWidth);
    let bottom = Math.min(box.bottom, window.innerHeight);
    // A scroll view (or any clipping box) hides what lies outside it, as a phone's screen does.
    for (let node = element.parentElement; node !== null; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
      const clip = node.getBoundingClientRect();
      left = Math.max(left, clip.left);
      top = Math.max(top, clip.top);
      right = Math.min(right, clip.right);
      bottom = Math.min(bottom, clip.bottom);
    }
    const shown = Math.max(0, right - left) * Math.max(0, bottom - top);
    return { text, visiblePercent: (shown / area) * 100 };
  });
}

/** One look at the page: whether the condition holds, does not hold, or cannot tell (none or several match). */
interface Look {
  readonly holds: boolean | undefined;
  /** What was seen, for the failure message, e.g. `its text is "Queued"`. */
  readonly seen: string;
}

/** One expectation: a state the page reaches (or must leave) within a deadline. */
interface Condition {
  /** e.g. "to be visible", "to have text \"Confirmed\"". */
  readonly description: string;
  /** Whether the condition holds for the element's matches; `negated` flips what "holds" means. */
  look(matches: readonly Seen[], negated: boolean): Look;
}

const several = (count: number): Look => ({ holds: undefined, seen: `${count} elements match (use .atIndex(n))` });

function visibleCondition(percent = DEFAULT_VISIBLE_PERCENT): Condition {
  return {
    description: percent === DEFAULT_VISIBLE_PERCENT ? 'to be visible' : `to be at least ${percent}% visible`,
    look(matches, negated) {
      if (matches.length === 0) return { holds: negated, seen: 'no element matches' };
      if (matches.length > 1) return several(matches.length);
      const shown = Math.round((matches[0] as Seen).visiblePercent);
      return { holds: shown >= percent !== negated, seen: `${shown}% of it is on screen` };
    },
  };
}

function existCondition(): Condition {
  return {
    description: 'to exist',
    look(matches, negated) {
      if (matches.length > 1) return several(matches.length);
      return {
        holds: (matches.length === 1) !== negated,
        seen: matches.length === 0 ? 'no element matches' : 'it exists',
      };
    },
  };
}

function textCondition(expected: string): Condition {
  return {
    description: `to have text ${JSON.stringify(expected)}`,
    look(matches, negated) {
      if (matches.length === 0) return { holds: undefined, seen: 'no element matches' };
      if (matches.length > 1) return several(matches.length);
      const text = (matches[0] as Seen).text;
      return { holds: (text === expected) !== negated, seen: `its text is ${JSON.stringify(text)}` };
    },
  };
}

/** Looks once; a page between two documents (a reload) counts as "cannot tell yet". */
async function lookAt(element: WebElement, condition: Condition, negated: boolean): Promise<Look> {
  const locator = element.locator();
  try {
    return condition.look(await locator.evaluateAll(seenInPage), negated);
  } catch (error) {
    if (error instanceof TracehopError) throw error;
    return { holds: undefined, seen: causeOf(error) };
  }
}

function expectationText(element: WebElement, condition: Condition, negated: boolean): string {
  return `see ${element.matcher.description} ${negated ? 'not ' : ''}${condition.description}`;
}

/**
 * How long past its deadline an expectation still waits for the page to answer one look or one frame: a look
 * begun just before the deadline reports what the page shows, and only a page that answers nothing for this
 * long is called stalled.
 */
const STALL_MS = 2000;

/** The longest delay setTimeout takes; a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What a look says when the page did not answer. */
const STALLED: Look = {
  holds: undefined,
  seen: `the page did not answer for ${STALL_MS} ms (its renderer is stalled or busy)`,
};

/**
 * `promise`, or `fallback` once `ms` have passed: a page whose renderer stalls never answers Playwright's
 * evaluate, which has no timeout of its own. The promise left behind settles unobserved (race handled it).
 */
async function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  // withTimeout(Infinity) (or NaN) waits as long as it takes, as it did before looks were bounded.
  if (!Number.isFinite(ms)) return promise;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), Math.min(Math.max(0, ms), MAX_TIMER_MS));
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** One look, given until STALL_MS past the deadline. */
function lookUntil(element: WebElement, condition: Condition, negated: boolean, deadline: number): Promise<Look> {
  return within(lookAt(element, condition, negated), deadline + STALL_MS - Date.now(), STALLED);
}

/** One frame on, given until the deadline (the look after it says whether the page answers). */
function frameUntil(element: WebElement, deadline: number): Promise<void> {
  return within(element.nextFrame(), deadline - Date.now(), undefined);
}

/** Looks on every rendered frame (React commits land with frames) until the condition holds or time is up. */
async function check(element: WebElement, condition: Condition, negated: boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const look = await lookUntil(element, condition, negated, deadline);
    if (look.holds === true) return;
    if (Date.now() >= deadline) {
      throw new TracehopError(
        failure(expectationText(element, condition, negated), `${look.seen} after ${timeoutMs} ms`, EXPECT_HINT),
      );
    }
    await frameUntil(element, deadline);
  }
}

/** `expect(element)` for the web: each assertion waits up to the device timeout for the app to settle. */
export class WebExpect {
  constructor(
    private readonly element: WebElement,
    private readonly negated = false,
  ) {}

  get not(): WebExpect {
    return new WebExpect(this.element, !this.negated);
  }

  /** At least `percent`% (default 75, as in Detox) of the element is on screen: in the viewport and its scroll views. */
  async toBeVisible(percent?: number): Promise<void> {
    await this.assert(visibleCondition(percent));
  }

  async toBeNotVisible(): Promise<void> {
    await this.not.toBeVisible();
  }

  async toExist(): Promise<void> {
    await this.assert(existCondition());
  }

  async toNotExist(): Promise<void> {
    await this.not.toExist();
  }

  async toHaveText(text: string): Promise<void> {
    await this.assert(textCondition(text));
  }

  private async assert(condition: Condition): Promise<void> {
    await check(this.element, condition, this.negated, this.element.timeoutMs);
  }
}

/** `waitFor(...).toBeVisible().whileElement(matcher)`: what to do to the other element until the condition holds. */
export class WhileElement {
  constructor(
    private readonly element: WebElement,
    private readonly condition: Condition,
    private readonly negated: boolean,
    private readonly scroller: WebElement,
  ) {}

  /**
   * Scrolls the `whileElement` by `pixels` in `direction` until the condition holds; fails when the
   * scroll view reaches its edge first (or after the device timeout). Start positions are accepted for
   * Detox parity: a web scroll needs none.
   */
  async scroll(
    pixels: number,
    direction: ScrollDirection = 'down',
    _startPositionX?: number,
    _startPositionY?: number,
  ): Promise<void> {
    const deadline = Date.now() + this.element.timeoutMs;
    for (;;) {
      const look = await lookUntil(this.element, this.condition, this.negated, deadline);
      if (look.holds === true) return;
      const moved = await within<boolean | 'stalled'>(
        this.scroller.scrollStep(pixels, direction),
        deadline + STALL_MS - Date.now(),
        'stalled',
      );
      const cause =
        moved === 'stalled'
          ? STALLED.seen
          : !moved
            ? `${look.seen} when ${this.scroller.matcher.description} could scroll no further ${direction}`
            : Date.now() >= deadline
              ? `${look.seen} after ${this.element.timeoutMs} ms of scrolling`
              : undefined;
      if (cause !== undefined) {
        const action = `${expectationText(this.element, this.condition, this.negated)} while scrolling ${this.scroller.matcher.description} ${direction}`;
        throw new TracehopError(failure(action, cause, EXPECT_HINT));
      }
      await frameUntil(this.element, deadline);
    }
  }
}

/** The tail of `waitFor(element).toBeVisible()`: awaited as is, with `.withTimeout(ms)`, or with `.whileElement(...)`. */
export class WaitForCondition implements PromiseLike<void> {
  constructor(
    private readonly element: WebElement,
    private readonly condition: Condition,
    private readonly negated: boolean,
  ) {}

  /** Waits until the condition holds, failing after `timeoutMs`. */
  withTimeout(timeoutMs: number): Promise<void> {
    return check(this.element, this.condition, this.negated, timeoutMs);
  }

  /** Acts on the element `matcher` finds (e.g. scrolls a list) until the condition holds. */
  whileElement(matcher: WebMatcher): WhileElement {
    return new WhileElement(this.element, this.condition, this.negated, this.element.sibling(matcher));
  }

  then<R1 = void, R2 = never>(
    onFulfilled?: ((value: void) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): PromiseLike<R1 | R2> {
    return this.withTimeout(this.element.timeoutMs).then(onFulfilled, onRejected);
  }
}

/** `waitFor(element)` for the web. */
export class WebWaitFor {
  constructor(
    private readonly element: WebElement,
    private readonly negated = false,
  ) {}

  get not(): WebWaitFor {
    return new WebWaitFor(this.element, !this.negated);
  }

  toBeVisible(percent?: number): WaitForCondition {
    return new WaitForCondition(this.element, visibleCondition(percent), this.negated);
  }

  toBeNotVisible(): WaitForCondition {
    return this.not.toBeVisible();
  }

  toExist(): WaitForCondition {
    return new WaitForCondition(this.element, existCondition(), this.negated);
  }

  toNotExist(): WaitForCondition {
    return this.not.toExist();
  }

  toHaveText(text: string): WaitForCondition {
    return new WaitForCondition(this.element, textCondition(text), this.negated);
  }
}
