import type { Span } from '../../model';

/** The attributes by which a span names its journey: the app's root span, or a request sent outside it. */
export const JOURNEY_ROOT_ATTRIBUTES: readonly string[] = ['tracehop.journey', 'app.journey'];

/** Whether `span` is tagged with the journey `name` in one of JOURNEY_ROOT_ATTRIBUTES. */
export function taggedWithJourney(span: Span, name: string): boolean {
  return JOURNEY_ROOT_ATTRIBUTES.some((key) => span.attributes[key] === name);
}

/** Whether `span` names the journey `name`: it is named so, or tagged with it. */
export function namesJourney(span: Span, name: string): boolean {
  return span.name === name || taggedWithJourney(span, name);
}
