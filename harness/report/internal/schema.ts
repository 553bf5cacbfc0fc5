import { notJsonCause } from '../../internal/json-error-offset';
import { errorMessage, type Failure } from '../../internal/result';
import { nearestName } from '../../internal/nearest-name';
import { shownText } from '../../internal/shown-value';

/**
 * A small JSON-schema-like validator for the files the reports read (journeys, run records, coverage
 * files). It reports the first violation with a path such as `journeys[2].chain[1]`, so the message can
 * name the exact field.
 */
export type Schema =
  | {
      readonly type: 'string';
      readonly minLength?: number;
      readonly pattern?: RegExp;
      readonly patternHint?: string;
      readonly enum?: readonly string[];
    }
  | { readonly type: 'number'; readonly min?: number; readonly max?: number }
  | { readonly type: 'boolean' }
  | { readonly type: 'any' }
  | { readonly type: 'array'; readonly items: Schema; readonly minItems?: number }
  | { readonly type: 'tuple'; readonly items: readonly Schema[] }
  | {
      readonly type: 'object';
      readonly properties: Readonly<Record<string, Schema>>;
      readonly required?: readonly string[];
      /**
       * Fields not in `properties`: false makes them errors (they are usually typos), true accepts any
       * value, a schema checks each value. Defaults to false.
       */
      readonly additional?: boolean | Schema;
    };

/** A violation: the path of the field and what is wrong with it. */
export interface SchemaError {
  readonly path: string;
  readonly problem: string;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return shownText(value);
  if (typeof value === 'object') return 'an object';
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- objects and arrays were named above
  return `${typeof value} ${String(value)}`;
}

function at(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

function fail(path: string, problem: string): SchemaError {
  return { path: path === '' ? '(top level)' : path, problem };
}

/** "has an unknown field "x"", with the known field it most likely misspells, or else every known field. */
function unknownField(path: string, key: string, known: readonly string[], record: object): SchemaError {
  // A field the object already has is no likely target of the misspelling ({name, nmae} misspells nothing).
  const nearest = nearestName(
    key,
    known.filter((field) => !Object.hasOwn(record, field)),
  );
  const guess = nearest !== undefined ? `did you mean "${nearest}"?` : `known: ${known.join(', ')}`;
  return fail(path, `has an unknown field ${shownText(key)} (${guess})`);
}

/** A note any object may carry and nothing reads (JSON Schema's annotation of that name). */
const COMMENT = '$comment';
const NOTE: Schema = { type: 'string' };

/** Returns the first violation of `schema` by `value`, or undefined when it conforms. */
export function validate(value: unknown, schema: Schema, path = ''): SchemaError | undefined {
  switch (schema.type) {
    case 'any':
      return undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : fail(path, `must be true or false (got ${describe(value)})`);
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value))
        return fail(path, `must be a number (got ${describe(value)})`);
      if (schema.min !== undefined && value < schema.min)
        return fail(path, `must be at least ${schema.min} (got ${value})`);
      if (schema.max !== undefined && value > schema.max)
        return fail(path, `must be at most ${schema.max} (got ${value})`);
      return undefined;
    case 'string':
      if (typeof value !== 'string') return fail(path, `must be a string (got ${describe(value)})`);
      if (schema.enum && !schema.enum.includes(value)) {
        return fail(path, `must be one of ${schema.enum.join(', ')} (got ${describe(value)})`);
      }
      if (schema.minLength !== undefined && value.length < schema.minLength) return fail(path, 'must not be empty');
      if (schema.pattern && !schema.pattern.test(value)) {
        return fail(
          path,
          `must be ${schema.patternHint ?? `a string matching ${schema.pattern}`} (got ${describe(value)})`,
        );
      }
      return undefined;
    case 'array': {
      if (!Array.isArray(value)) return fail(path, `must be an array (got ${describe(value)})`);
      if (schema.minItems !== undefined && value.length < schema.minItems) {
        return fail(path, `must hold at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}`);
      }
      for (let i = 0; i < value.length; i++) {
        const error = validate(value[i], schema.items, at(path, i));
        if (error) return error;
      }
      return undefined;
    }
    case 'tuple': {
      if (!Array.isArray(value) || value.length !== schema.items.length) {
        return fail(path, `must be an array of ${schema.items.length} items (got ${describe(value)})`);
      }
      for (const [i, item] of schema.items.entries()) {
        const error = validate(value[i], item, at(path, i));
        if (error) return error;
      }
      return undefined;
    }
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return fail(path, `must be an object (got ${describe(value)})`);
      }
      const record = value as Record<string, unknown>;
      // Notes ("$comment", "$schema") are no fields to misspell: the lists of known fields leave them out.
      const known = Object.keys(schema.properties).filter((key) => !key.startsWith('$'));
      // Own properties only: a field named "constructor" must not find Object.prototype's. A "$comment" is a note
      // any object may carry, as JSON Schema has it.
      const isUnknown = (key: string): boolean =>
        !Object.hasOwn(schema.properties, key) &&
        key !== COMMENT &&
        (schema.additional === undefined || schema.additional === false);
      const missing = (schema.required ?? []).filter((key) => record[key] === undefined);
      // A misspelt required field is named as such, not as the field it misspells being absent.
      const misspelt = Object.keys(record).find((key) => {
        const nearest = isUnknown(key) ? nearestName(key, known) : undefined;
        return nearest !== undefined && missing.includes(nearest);
      });
      if (misspelt !== undefined) return unknownField(path, misspelt, known, record);
      const [absent] = missing;
      if (absent !== undefined) return fail(at(path, absent), 'is required');
      for (const [key, child] of Object.entries(record)) {
        const childSchema = Object.hasOwn(schema.properties, key)
          ? schema.properties[key]
          : typeof schema.additional === 'object'
            ? schema.additional
            : key === COMMENT
              ? NOTE
              : undefined;
        if (!childSchema) {
          if (schema.additional === true) continue;
          return unknownField(path, key, known, record);
        }
        if (child === undefined) continue;
        const error = validate(child, childSchema, at(path, key));
        if (error) return error;
      }
      return undefined;
    }
  }
}

/**
 * Parses JSON text, returning the syntax error as a 'not-json' failure instead of throwing. Its message is the
 * bare cause, with the line and column where the text stops being JSON: "it is not JSON (line 3, column 19:
 * Expected ',' or '}' after property value)".
 */
export function parseJson(text: string): { ok: true; value: unknown } | Failure<'not-json'> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: 'not-json', message: notJsonCause(text, errorMessage(error)) };
  }
}
