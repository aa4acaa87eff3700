import { useMemo } from 'react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';

/** The form's values, by field name. */
export type FormValues = Record<string, unknown>;

/** The `default` of each top-level property of a step's schema. */
function defaultsOf(schema: unknown): FormValues {
  const properties = (
    schema as { properties?: Record<string, { default?: unknown }> }
  )?.properties;
  return Object.fromEntries(
    Object.entries(properties ?? {})
      .filter(([, property]) => property?.default !== undefined)
      .map(([key, property]) => [key, property.default]),
  );
}

/**
 * The values of the whole form, as a field sees them: RJSF does not report
 * the defaults it fills in until the user changes something, so the step's
 * defaults come first, then the values of every step so far, then the
 * field's own value (unless `ownValue` is false).
 */
export function useFormValues<T>(
  props: Pick<
    FieldExtensionComponentProps<T, object>,
    'registry' | 'formContext' | 'name' | 'formData'
  >,
  ownValue = true,
): FormValues {
  const { registry, formContext, name, formData } = props;
  const rootSchema = registry.rootSchema;
  const stepValues = formContext?.formData as FormValues | undefined;
  return useMemo(
    () => ({
      ...defaultsOf(rootSchema),
      ...(stepValues ?? {}),
      ...(ownValue ? { [name]: formData } : {}),
    }),
    [rootSchema, stepValues, ownValue, name, formData],
  );
}

/** Whether a form value is set. */
export const hasValue = (value: unknown) =>
  value !== undefined && value !== null && value !== '';
