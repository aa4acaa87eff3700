import { z } from 'zod';

/**
 * Zod create-params whose error map turns every issue of the schema into
 * `what`, the description of a valid value. The validators then phrase it as
 * "`path` must be `what`, got `value`".
 */
export function expecting(what: string): z.RawCreateParams {
  return { errorMap: () => ({ message: what }) };
}

export const nonEmptyString = (what = 'a non-empty string') =>
  z.string(expecting(what)).min(1);

export const positiveInt = (what = 'a positive integer') =>
  z.number(expecting(what)).int().positive();

export const nonNegativeInt = (what = 'an integer of 0 or more') =>
  z.number(expecting(what)).int().nonnegative();

export const oneOf = <U extends string, T extends Readonly<[U, ...U[]]>>(
  values: T,
) => z.enum(values, expecting(`one of ${values.join(', ')}`));

/** CPU cores: a positive number in steps of 0.001 (Kubernetes millicores). */
export const cpuCount = () =>
  z
    .number(expecting('a positive number of CPU cores, in steps of 0.001'))
    .positive()
    .finite()
    .refine(v => Math.abs(v * 1000 - Math.round(v * 1000)) < 1e-6);
