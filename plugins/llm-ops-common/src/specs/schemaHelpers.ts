import { z } from 'zod';

/**
 * Zod params whose error is `what`, the description of a valid value. The
 * validators then phrase it as "`path` must be `what`, got `value`". Zod 4
 * reads a schema's error for its type check only, so the helpers pass it to
 * each of their checks too.
 */
export function expecting(what: string): { error: string } {
  return { error: what };
}

export const nonEmptyString = (what = 'a non-empty string') =>
  z.string(expecting(what)).min(1, expecting(what));

/**
 * An integer. Zod 4's `int` also refuses integers beyond 2^53 - 1, which a
 * number does not hold exactly: the error then names that bound.
 */
const int = (what: string) =>
  z.int({
    error: issue =>
      Number.isInteger(issue.input)
        ? `a safe integer (at most ${Number.MAX_SAFE_INTEGER})`
        : what,
  });

/** A safe integer above 0. */
export const positiveInt = (what = 'a positive integer') =>
  int(what).positive(expecting(what));

export const nonNegativeInt = (what = 'an integer of 0 or more') =>
  int(what).nonnegative(expecting(what));

export const oneOf = <U extends string, T extends Readonly<[U, ...U[]]>>(
  values: T,
) => z.enum(values, expecting(`one of ${values.join(', ')}`));

/** A finite number above 0 (zod 4 numbers are finite). */
export const positiveNumber = (what = 'a positive number') =>
  z.number(expecting(what)).positive(expecting(what));

/** CPU cores: a positive number in steps of 0.001 (Kubernetes millicores). */
export const cpuCount = () =>
  positiveNumber('a positive number of CPU cores, in steps of 0.001').refine(
    v => Math.abs(v * 1000 - Math.round(v * 1000)) < 1e-6,
    expecting('a positive number of CPU cores, in steps of 0.001'),
  );
