import { useEffect, useMemo } from 'react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { fillTrainDefaults, followTrainDefaults } from './trainDefaults';

type Values = Record<string, unknown>;

/**
 * A whole step of the "Train a model" form (`ui:field: LlmOpsTrainDefaults`
 * at the step's root): renders the step's own
 * fields, and keeps the defaults of `TRAIN_DEFAULTS` for the job type and
 * method in the form values. The step's empty fields get the defaults, and
 * when the job type or the method changes, the fields that still hold the
 * previous defaults, on any step (the hyperparameters come before the
 * method), take the new ones. A field can only set its own value, so this
 * sits at the step's root, where the form values are.
 */
export function TrainDefaultsStep(
  props: FieldExtensionComponentProps<Values | undefined>,
) {
  const { registry, schema, uiSchema, onChange } = props;
  const formData = useMemo(
    () => (props.formData ?? {}) as Values,
    [props.formData],
  );
  const fields = useMemo(
    () => Object.keys((schema as { properties?: object }).properties ?? {}),
    [schema],
  );
  const filled = useMemo(
    () => fillTrainDefaults(formData, fields),
    [formData, fields],
  );
  const missing = JSON.stringify(filled) !== JSON.stringify(formData);
  // RJSF keeps the values a field reports: report the filled-in defaults,
  // so that the live validation and "Next" see them.
  useEffect(() => {
    if (missing) onChange(filled);
  }, [missing, filled, onChange]);

  const innerOptions = uiSchema?.['ui:options'] ?? {};
  const ObjectField = registry.fields.ObjectField;
  return (
    <ObjectField
      {...props}
      formData={filled}
      uiSchema={{
        ...uiSchema,
        'ui:field': undefined,
        'ui:options': innerOptions,
      }}
      onChange={(next: Values | undefined, ...rest: unknown[]) =>
        (onChange as (...args: unknown[]) => void)(
          followTrainDefaults(filled, next ?? {}, fields),
          ...rest,
        )
      }
    />
  );
}
