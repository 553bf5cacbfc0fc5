import { failure, TracehopError } from '../../internal/messages';
import { WebElement, type PageSource } from './element';
import { WebExpect, WebWaitFor } from './expectation';
import { webBy, type WebMatcher } from './matchers';
import type { WebRuntimeDriver } from './runtime-driver';

/** What Detox passes a driver's ExpectClass. */
export interface ExpectDeps {
  readonly runtimeDevice: { readonly deviceDriver: unknown };
}

function isMatcher(value: unknown): value is WebMatcher {
  return typeof value === 'object' && value !== null && typeof (value as WebMatcher).locate === 'function';
}

function asElement(value: unknown, call: string): WebElement {
  if (value instanceof WebElement) return value;
  // Spans (or a verdict's) handed to the global expect, which Detox has made its element expect in a spec.
  if (Array.isArray(value) && call === 'expect(...)') {
    throw new TracehopError(
      failure(
        'run expect(...)',
        "its argument is a list, not an element: in a Detox spec the global expect is Detox's, for elements",
        "For tracehop's span matchers (toFormOneTrace, toPropagateThrough, toHaveNoTraceProblems) assert with Jest's expect: import { expect } from '@jest/globals'.",
      ),
    );
  }
  throw new TracehopError(
    failure(
      `run ${call}`,
      'its argument is not an element',
      `Pass element(by.id('...')), e.g. ${call.replace('(...)', "(element(by.id('login-screen')))")}.`,
    ),
  );
}

/**
 * The `by`, `element`, `expect` and `waitFor` Detox exposes for the web device. Detox copies these own
 * properties onto the worker and, with `exposeGlobals`, onto the test globals.
 */
export class WebExpectApi {
  readonly by = webBy;
  readonly element: (matcher: WebMatcher) => WebElement;
  readonly expect: (element: WebElement) => WebExpect;
  readonly waitFor: (element: WebElement) => WebWaitFor;

  constructor({ runtimeDevice }: ExpectDeps) {
    const driver = runtimeDevice.deviceDriver as WebRuntimeDriver;
    const source: PageSource = {
      page: () => driver.page(),
      get timeoutMs() {
        return driver.timeoutMs;
      },
    };
    this.element = (matcher) => {
      if (!isMatcher(matcher)) {
        throw new TracehopError(
          failure(
            'find an element',
            'element() needs a matcher',
            "Pass by.id('...'), by.text('...') or by.label('...').",
          ),
        );
      }
      return new WebElement(source, matcher);
    };
    this.expect = (element) => new WebExpect(asElement(element, 'expect(...)'));
    this.waitFor = (element) => new WebWaitFor(asElement(element, 'waitFor(...)'));
  }
}
