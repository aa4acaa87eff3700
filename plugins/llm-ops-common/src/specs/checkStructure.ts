import { z } from 'zod';
import type { SpecLimits } from './specLimits';
import type { SpecValidationError } from './types';

/** Keys that would name an image: `image`, `serve_image`, `*_image`. */
const IMAGE_KEY = /(^|_)image$/i;

/** The outcome of the structural pass over one document. */
export interface StructureCheck<T> {
  /** The parsed document when the structure is valid. */
  data?: T;
  /** `schema` and `serve_image.override_forbidden` errors. */
  errors: SpecValidationError[];
  /**
   * The value at `path` when it is valid on its own, else undefined. The
   * semantic rules read their fields through this, so that they still run
   * when other fields are broken.
   */
  read<V>(field: z.ZodType<V>, path: string): V | undefined;
}

/**
 * The limit key of the strings at some paths, in place of
 * `maxStringLength`; null for a field whose own rule bounds it.
 */
export type StringLimits = Record<string, keyof SpecLimits | null>;

/**
 * Checks a document's structure: reports image keys as
 * `serve_image.override_forbidden`, strings above their limit as
 * `string.length_exceeds_limit`, and maps every zod issue to a `schema`
 * error with a dotted path and a message naming the field and the fix.
 */
export function checkStructure<S extends z.ZodObject>(
  schema: S,
  doc: unknown,
  limits: SpecLimits,
  stringLimits: StringLimits = {},
): StructureCheck<z.infer<S>> {
  const errors: SpecValidationError[] = [];
  findImageKeys(doc, [], errors);
  const tooLong = findLongStrings(doc, [], limits, stringLimits, errors);
  const result = schema.safeParse(doc);
  let data: z.infer<S> | undefined;
  if (result.success) {
    data = result.data;
  } else {
    const seen = new Set(errors.map(e => e.path));
    for (const issue of result.error.issues) {
      for (const error of issueToErrors(issue, doc, schema)) {
        if (!seen.has(error.path)) {
          seen.add(error.path);
          errors.push(error);
        }
      }
    }
  }
  return {
    data,
    errors,
    read(field, path) {
      if (tooLong.has(path)) {
        return undefined;
      }
      const parsed = field.safeParse(getAt(doc, path.split('.')));
      return parsed.success ? parsed.data : undefined;
    },
  };
}

/** Reports the strings above their limit; returns their paths. */
function findLongStrings(
  value: unknown,
  path: Array<string | number>,
  limits: SpecLimits,
  stringLimits: StringLimits,
  errors: SpecValidationError[],
  found = new Set<string>(),
): Set<string> {
  if (Array.isArray(value) || isRecord(value)) {
    for (const [key, child] of Object.entries(value)) {
      const index = Array.isArray(value) ? Number(key) : key;
      findLongStrings(
        child,
        [...path, index],
        limits,
        stringLimits,
        errors,
        found,
      );
    }
  } else if (typeof value === 'string' && path.length) {
    const dotted = path.join('.');
    const key = Object.hasOwn(stringLimits, dotted)
      ? stringLimits[dotted]
      : 'maxStringLength';
    if (key && value.length > limits[key]) {
      found.add(dotted);
      errors.push({
        path: dotted,
        rule: 'string.length_exceeds_limit',
        message: `${dotted} is ${value.length} characters long, above the limit of ${limits[key]}; shorten it, or raise llmOps.specLimits.${key}`,
      });
    }
  }
  return found;
}

function findImageKeys(
  value: unknown,
  path: Array<string | number>,
  errors: SpecValidationError[],
) {
  if (Array.isArray(value)) {
    value.forEach((item, i) => findImageKeys(item, [...path, i], errors));
    return;
  }
  if (!isRecord(value)) {
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    const childPath = [...path, key];
    if (IMAGE_KEY.test(key)) {
      const dotted = childPath.join('.');
      errors.push({
        path: dotted,
        rule: 'serve_image.override_forbidden',
        message: `${dotted} is not allowed: images are selected by the platform from job_type or serve_target and GPU availability (configured as llmOps.images); remove ${key}`,
      });
    } else {
      findImageKeys(child, childPath, errors);
    }
  }
}

function issueToErrors(
  issue: z.core.$ZodIssue,
  doc: unknown,
  schema: z.ZodObject,
): SpecValidationError[] {
  const issuePath = issue.path.map(key =>
    typeof key === 'symbol' ? String(key) : key,
  );
  const path = issuePath.join('.');
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(schema, issuePath);
    return issue.keys
      .filter(key => !IMAGE_KEY.test(key))
      .map(key => {
        const fieldPath = path ? `${path}.${key}` : key;
        const suggestion = closest(key, known);
        const hint = suggestion
          ? `did you mean ${suggestion}?`
          : `known fields here are ${known.join(', ')}`;
        return {
          path: fieldPath,
          rule: 'schema',
          message: `${fieldPath} is not a known field; remove it (${hint})`,
        };
      });
  }
  const value = getAt(doc, issuePath);
  let message: string;
  if (path === '') {
    message = `the document must be ${issue.message}, got ${show(value)}`;
  } else if (value === undefined) {
    message = `${path} is required: ${issue.message}`;
  } else {
    message = `${path} must be ${issue.message}, got ${show(value)}`;
  }
  return [{ path, rule: 'schema', message }];
}

/** The value at a path, or undefined when the path does not exist. */
export function getAt(
  value: unknown,
  path: ReadonlyArray<string | number>,
): unknown {
  let current = value;
  for (const key of path) {
    if (Array.isArray(current) && typeof key === 'number') {
      current = current[key];
    } else if (isRecord(current) && Object.hasOwn(current, key)) {
      current = current[key];
    } else {
      return undefined;
    }
  }
  return current;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Shows a value in a message. */
export function show(value: unknown): string {
  if (value === undefined) {
    return 'nothing';
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  if (isRecord(value)) {
    return 'a mapping';
  }
  if (typeof value === 'number') {
    return String(value);
  }
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function knownKeys(
  schema: z.ZodType,
  path: ReadonlyArray<string | number>,
): string[] {
  let current: z.ZodType | undefined = schema;
  for (const key of path) {
    current = unwrap(current);
    current =
      current instanceof z.ZodObject && typeof key === 'string'
        ? current.shape[key]
        : undefined;
    if (!current) {
      return [];
    }
  }
  current = unwrap(current);
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodNullable) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

/** The known key nearest to a typo, if it is near enough. */
function closest(key: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}
