import { failure, TracehopError } from '../../internal/messages';
import type { WebElement } from './element';
import { causeOf } from './internal/errors';

const EXPECT_HINT = 'Check the failing test\'s screenshot in the Detox artifacts folder.';

/** What an element shows as its text: an input's value, else its text content. */
function textsInPage(elements: Element[]): string[] {
  return elements.map((element) =>
    element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement ? element.value : (element.textContent ?? ''),
  );
}

/** One expectation: a state the page reaches (or must leave) within a deadline. */
interface Condition {
  /** e.g. "to be visible", "to have text \"Confirmed\"". */
  readonly description: string;
  await(element: WebElement, negated: boolean, timeoutMs: number): Promise<void>;
}

function stateCondition(description: string, reached: 'visible' | 'attached', left: 'hidden' | 'detached'): Condition {
  return {
    description,
    async await(element, negated, timeoutMs) {
      await element.locator().waitFor({ state: negated ? left : reached, timeout: timeoutMs });
    },
  };
}

function textCondition(expected: string): Condition {
  return {
    description: `to have text ${JSON.stringify(expected)}`,
    async await(element, negated, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      let last = 'no element matches';
      for (;;) {
        const texts = await element.locator().evaluateAll(textsInPage);
        if (texts.length === 1) {
          const matches = texts[0] === expected;
          if (matches !== negated) return;
          last = `its text is ${JSON.stringify(texts[0])}`;
        } else {
          last = texts.length === 0 ? 'no element matches' : `${texts.length} elements match (use .atIndex(n))`;
        }
        if (Date.now() >= deadline) throw new Error(`${last} after ${timeoutMs} ms`);
        // Re-check on the next rendered frame: text changes land with React's commits.
        await element.nextFrame();
      }
    },
  };
}

async function check(element: WebElement, condition: Condition, negated: boolean, timeoutMs: number): Promise<void> {
  try {
    await condition.await(element, negated, timeoutMs);
  } catch (error) {
    if (error instanceof TracehopError) throw error;
    const expectation = `${negated ? 'not ' : ''}${condition.description}`;
    throw new TracehopError(failure(`see ${element.matcher.description} ${expectation}`, causeOf(error), EXPECT_HINT));
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

  /** Visible (attached, non-empty box, not hidden). The percentage argument is accepted for Detox parity. */
  async toBeVisible(_percent?: number): Promise<void> {
    await this.assert(stateCondition('to be visible', 'visible', 'hidden'));
  }

  async toBeNotVisible(): Promise<void> {
    await this.not.toBeVisible();
  }

  async toExist(): Promise<void> {
    await this.assert(stateCondition('to exist', 'attached', 'detached'));
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

/** The tail of `waitFor(element).toBeVisible()`: awaited as is, or with `.withTimeout(ms)`. */
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

  toBeVisible(_percent?: number): WaitForCondition {
    return new WaitForCondition(this.element, stateCondition('to be visible', 'visible', 'hidden'), this.negated);
  }

  toBeNotVisible(): WaitForCondition {
    return this.not.toBeVisible();
  }

  toExist(): WaitForCondition {
    return new WaitForCondition(this.element, stateCondition('to exist', 'attached', 'detached'), this.negated);
  }

  toNotExist(): WaitForCondition {
    return this.not.toExist();
  }

  toHaveText(text: string): WaitForCondition {
    return new WaitForCondition(this.element, textCondition(text), this.negated);
  }
}
